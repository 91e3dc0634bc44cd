"""PAdES signatures for archived PDFs (pyHanko), and their check in ``verify``."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

from reporting.errors import SigningError, shorten

PASSPHRASE_VARIABLE = "REPORTING_SIGN_PASSPHRASE"


class PdfSigner:
    """Signs PDFs with one PKCS#12 key; the passphrase comes from $REPORTING_SIGN_PASSPHRASE."""

    def __init__(self, key_file: Path):
        from pyhanko.sign import signers

        data, passphrase = _checked_key(key_file)
        logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # it logs its failures as tracebacks
        self._signer = signers.SimpleSigner.load_pkcs12_data(data, (), passphrase=passphrase)
        if self._signer is None:  # a key pyHanko cannot sign with (say, an unusual algorithm)
            raise SigningError(
                f"cannot use the signing key {key_file}: expected an RSA, DSA or EC key pyHanko "
                "can sign with, found another kind"
            )

    def sign_data(self, data: bytes) -> bytes:
        """A detached CMS signature (DER) of ``data``: the manifest of a signed build carries one."""
        import asyncio

        signed = asyncio.run(self._signer.async_sign_general_data(data, "sha256", detached=True))
        return signed.dump()

    def sign(self, pdf: bytes) -> bytes:
        """An incremental update with a PAdES signature, so the signed bytes stay the PDF/A file."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko.sign.fields import SigSeedSubFilter

        output = io.BytesIO()
        metadata = signers.PdfSignatureMetadata(field_name="Signature", subfilter=SigSeedSubFilter.PADES)
        signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), metadata, signer=self._signer, output=output)
        return output.getvalue()


def _checked_key(key_file: Path) -> tuple[bytes, bytes | None]:
    """The key file's bytes and passphrase, or a SigningError saying exactly what is wrong with them."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    def refuse(what: str) -> SigningError:
        return SigningError(f"cannot use the signing key {key_file}: {what}")

    try:
        data = key_file.read_bytes()
    except FileNotFoundError:
        raise refuse("expected a PKCS#12 file (.p12 or .pfx), found no file") from None
    except IsADirectoryError:
        raise refuse("expected a PKCS#12 file (.p12 or .pfx), found a folder") from None
    except OSError as exc:
        raise refuse(f"the file cannot be read ({exc.strerror})") from None
    if not _is_pkcs12(data):
        raise refuse(
            "expected a PKCS#12 file (.p12 or .pfx), found other content (a PEM key or certificate? "
            "bundle them with `openssl pkcs12 -export`)"
        )
    secret = os.environ.get(PASSPHRASE_VARIABLE)
    passphrase = secret.encode() if secret is not None else None
    try:
        key, certificate, _ = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError:
        if passphrase is None:
            raise refuse(f"it is protected by a passphrase: set ${PASSPHRASE_VARIABLE}") from None
        raise refuse(f"wrong passphrase in ${PASSPHRASE_VARIABLE}") from None
    if key is None:
        raise refuse("expected a private key in it, found only certificates (export the key with its certificate)")
    if certificate is None:
        raise refuse("expected the signer's certificate in it, found only a private key")
    return data, passphrase


def _is_pkcs12(data: bytes) -> bool:
    from asn1crypto import pkcs12

    try:
        pfx = pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native == "data"
    except (ValueError, TypeError, KeyError):
        return False


def signature_problems(path: Path, signers: list | None = None) -> list[str]:
    """Each signature of the PDF must cover the file as it is and be cryptographically valid.

    Whether the signer is trusted is a question for the reader's PDF viewer and
    its trust store; here the signer's own certificate is taken as the root.
    ``signers`` collects each signature's certificate (the manifest's must be the same).
    """
    data = path.read_bytes()
    if b"/ByteRange" not in data:
        return []
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # it logs untrusted roots as tracebacks
    problems = []
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception as exc:  # a damaged file: pyHanko's parser raises many kinds
        return [f"invalid signature: {path.name} cannot be read ({exc})"]
    for signature in signatures:
        context = ValidationContext(trust_roots=[signature.signer_cert])
        try:
            status = validate_pdf_signature(signature, context)
        except Exception as exc:  # a damaged signature dictionary: pyHanko raises many kinds
            problems.append(f"invalid signature: {path.name} (field {signature.field_name}: cannot be checked: {exc})")
            continue
        if signers is not None:
            signers.append(signature.signer_cert)
        trouble = _signature_trouble(status)
        if trouble:
            problems.append(f"invalid signature: {path.name} (field {signature.field_name}: {trouble})")
    return problems


def _signature_trouble(status) -> str | None:
    """Why a signature does not vouch for the file as it is: altered signed bytes, a bad signature, or
    anything appended after it (an incremental update adding an annotation keeps the old signature
    intact and valid, so coverage and modification level must be checked too)."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel as Coverage

    if not status.intact:
        return "modified after signing"
    if not status.valid:
        return "signature does not verify"
    if status.coverage != Coverage.ENTIRE_FILE:
        level = getattr(status.modification_level, "name", "unknown")
        return (
            f"the file was changed after signing (expected the signature to cover the whole file, "
            f"found later additions, modification level {level})"
        )
    if status.modification_level not in (None, ModificationLevel.NONE):
        return f"the file was changed after signing (modification level {status.modification_level.name})"
    return None


def manifest_signature_problems(manifest: bytes, signature: bytes | None, pdf_signers: list) -> list[str]:
    """A signed build's manifest carries a detached signature by the same key as its PDFs, so that
    editing files and manifest together is detected; a manifest of signed PDFs without one is a problem."""
    from reporting.build.manifest import MANIFEST_NAME, MANIFEST_SIGNATURE_NAME

    if signature is None:
        return (
            [
                f"unsigned: {MANIFEST_NAME} has no {MANIFEST_SIGNATURE_NAME}, though its PDFs are signed "
                "(the manifest may have been edited)"
            ]
            if pdf_signers
            else []
        )
    try:
        signer = _verified_signer(manifest, signature)
    except Exception as exc:  # not a CMS signature at all: asn1crypto and pyHanko raise many kinds
        return [f"invalid signature: {MANIFEST_SIGNATURE_NAME} cannot be read ({shorten(str(exc))})"]
    if signer is None:
        return [f"invalid signature: {MANIFEST_NAME} was changed after it was signed ({MANIFEST_SIGNATURE_NAME})"]
    strangers = {cert.dump() for cert in pdf_signers} - {signer.dump()}
    if strangers:
        return [
            f"invalid signature: {MANIFEST_SIGNATURE_NAME} is by {signer.subject.human_friendly}, "
            f"not by the key that signed the PDFs"
        ]
    return []


def _verified_signer(data: bytes, signature: bytes):
    """The certificate that signed ``data``, or None when the signature does not match it."""
    import asyncio

    from asn1crypto import cms
    from pyhanko.sign.validation import async_validate_detached_cms
    from pyhanko_certvalidator import ValidationContext

    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    signed = cms.ContentInfo.load(signature, strict=True)["content"]
    certificates = [choice.chosen for choice in signed["certificates"]]
    status = asyncio.run(
        async_validate_detached_cms(data, signed, signer_validation_context=ValidationContext(trust_roots=certificates))
    )
    return status.signing_cert if status.intact and status.valid else None
