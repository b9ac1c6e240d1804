"""Sign-in through an organisation's identity provider, and the admin pages that set providers up."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from leaders import audit, uow
from leaders.auth import crypto, oidc
from leaders.auth.identity_models import IdentityProvider
from leaders.auth.models import Role
from leaders.auth.rules import public, roles
from leaders.auth.sso_forms import ProviderForm
from leaders.auth.views import _start_session, bp, safe_next
from leaders.extensions import db
from leaders.timeutil import utcnow

PENDING = "oidc_pending"


def allow_provider_form_actions() -> None:
    """The sign-in form may lead (through our redirect) to a provider: let its origin through CSP."""
    origins = set()
    for url in db.session.scalars(
        select(IdentityProvider.discovery_url).where(IdentityProvider.enabled.is_(True))
    ):
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    g.form_action_sources = sorted(origins)


def _refused(error: oidc.SignInRefused, provider: IdentityProvider | None) -> tuple[str, int]:
    return render_template(
        "auth/provider_refused.html", message=error.message, provider=provider
    ), error.status


def go_to_provider(
    provider: IdentityProvider, email: str, next_url: str | None
) -> Response | tuple[str, int]:
    try:
        response = oidc.start(provider, email)
    except oidc.SignInRefused as error:
        return _refused(error, provider)
    session[PENDING] = {"provider": provider.id, "next": next_url or ""}
    return response


@bp.route("/sign-in/callback")
@public
def provider_callback() -> Response | tuple[str, int]:
    pending = session.get(PENDING) or {}
    provider = db.session.get(IdentityProvider, pending.get("provider") or 0)
    if provider is None or not provider.enabled:
        audit.record_now(
            audit.Action.SIGN_IN_FAILED,
            actor=None,
            detail="provider callback with no sign-in started",
        )
        error = oidc.SignInRefused("no-pending", oidc.FAILED)
        return _refused(error, None)
    try:
        identity = oidc.finish(provider)
        user = oidc.account_for(provider, identity)
    except oidc.SignInRefused as error:
        session.pop(PENDING, None)
        return _refused(error, provider)
    next_url = safe_next(pending.get("next"))
    _start_session(user, how=f"through {provider.name}")
    return redirect(next_url or url_for("main.home"))


# Admin: identity providers -------------------------------------------------------------------


def _providers() -> list[IdentityProvider]:
    return list(db.session.scalars(select(IdentityProvider).order_by(IdentityProvider.name)))


@bp.route("/admin/identity-providers")
@roles(Role.ADMIN)
def identity_providers() -> str:
    return render_template("auth/providers.html", providers=_providers())


def _domain_taken(form: ProviderForm, provider: IdentityProvider | None) -> bool:
    for other in _providers():
        if provider is not None and other.id == provider.id:
            continue
        clash = set(other.domain_list) & set(form.domain_list())
        if clash:
            form.domains.errors.append(
                f"{', '.join(sorted(clash))} already signs in through {other.name}. "
                "Each domain can have one provider"
            )
            return True
    return False


@uow.transactional
def _save(form: ProviderForm, provider: IdentityProvider | None) -> IdentityProvider:
    new = provider is None
    if provider is None:
        provider = IdentityProvider()
        db.session.add(provider)
    before = _describe(provider) if not new else ""
    provider.name = (form.name.data or "").strip()
    provider.discovery_url = (form.discovery_url.data or "").strip()
    provider.client_id = (form.client_id.data or "").strip()
    if form.client_secret.data:
        provider.client_secret_encrypted = crypto.encrypt(form.client_secret.data)
    provider.client_secret_env = (form.client_secret_env.data or "").strip()
    provider.domains = " ".join(form.domain_list())
    provider.allowed_tenants = " ".join(form.tenant_list())
    provider.enabled = bool(form.enabled.data)
    provider.updated_at = utcnow()
    db.session.flush()
    after = _describe(provider)
    secret = "; new client secret" if form.client_secret.data else ""
    audit.record(
        audit.Action.PROVIDER_ADDED if new else audit.Action.PROVIDER_CHANGED,
        actor=current_user,
        detail=(after if new else f"{before} → {after}") + secret,
    )
    return provider


def _describe(provider: IdentityProvider) -> str:
    state = "on" if provider.enabled else "off"
    tenants = f", tenants {provider.allowed_tenants}" if provider.allowed_tenants else ""
    return (
        f"{provider.name} ({provider.discovery_url}, client {provider.client_id}, "
        f"domains {provider.domains}{tenants}, {state})"
    )


@bp.route("/admin/identity-providers/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def add_identity_provider() -> str | Response:
    form = ProviderForm()
    if form.validate_on_submit() and not _domain_taken(form, None):
        if not form.client_secret.data and not form.client_secret_env.data:
            form.client_secret.errors.append(
                "Enter the client secret, or the environment variable that holds it"
            )
        else:
            provider = _save(form, None)
            flash(
                f"{provider.name} added. People at {provider.domains} now sign in there.", "success"
            )
            return redirect(url_for("auth.identity_providers"))
    return render_template(
        "auth/provider_form.html", form=form, provider=None, callback=oidc.redirect_uri()
    )


@bp.route("/admin/identity-providers/<int:provider_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit_identity_provider(provider_id: int) -> str | Response:
    provider = db.session.get(IdentityProvider, provider_id)
    if provider is None:
        abort(404)
    form = ProviderForm(obj=provider if request.method == "GET" else None)
    if request.method == "GET":
        form.client_secret.data = ""
    if form.validate_on_submit() and not _domain_taken(form, provider):
        _save(form, provider)
        flash(f"{provider.name} saved.", "success")
        return redirect(url_for("auth.identity_providers"))
    return render_template(
        "auth/provider_form.html", form=form, provider=provider, callback=oidc.redirect_uri()
    )
