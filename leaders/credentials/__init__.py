"""Certificates that anyone can verify: a PDF and an Open Badges 3.0 credential (issue 16).

- ``earning``: whether a learner has earned a course's certificate, from the course's rule
  (catalogue/certificate.py) and their progress, knowledge checks and attendance.
- ``signing``: the issuer's key, the VC-JWT, the DID document and JWKS.
- ``status``: the Bitstring Status List that says which credentials are revoked.
- ``services``: issuing, revoking, awarding or withholding by hand, and listing.
- ``views``, ``cli``, ``pdf``: the public verification page, the commands, the certificate.
"""
