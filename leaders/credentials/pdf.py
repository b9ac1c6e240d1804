"""The PDF certificate: an HTML template laid out by leaders.pdf (tagged PDF/UA), with a QR code."""

from __future__ import annotations

import io
from datetime import date

import segno
from flask import current_app, render_template
from markupsafe import Markup

from leaders.credentials import services, signing
from leaders.credentials.models import Credential
from leaders.filters import govuk_date
from leaders.pdf import render_pdf


def qr_svg(url: str) -> Markup:
    """The URL as an inline SVG QR code (segno), labelled for screen readers."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out,
        kind="svg",
        scale=4,
        border=2,
        xmldecl=False,
        svgns=True,
        title=f"QR code for {url}",
        nl=False,
    )
    return Markup(out.getvalue().decode())  # noqa: S704  (segno's own SVG, no user markup)


def _shown(value: str) -> str:
    """An ISO date as the GOV.UK style writes it (7 October 2025); anything else as it is."""
    try:
        return govuk_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return value


def certificate_html(row: Credential) -> str:
    url = services.verification_url(row.id)
    verdict = services.verify(row.token)
    credential = verdict.credential or {}
    subject = credential.get("credentialSubject", {})
    return render_template(
        "credentials/certificate.html",
        row=row,
        url=url,
        qr=qr_svg(url),
        issuer=current_app.config["CREDENTIALS_ISSUER_NAME"],
        starts=_shown(subject.get("activityStartDate", "")),
        ends=_shown(subject.get("activityEndDate", "")),
        criteria=subject.get("achievement", {}).get("criteria", {}).get("narrative", ""),
        did=signing.issuer_did(),
    )


def certificate_pdf(row: Credential) -> bytes:
    return render_pdf(certificate_html(row))
