"""PAdES signatures for archived PDFs (pyHanko), and their check in ``verify``."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

from reporting.errors import SigningError, shorten
from reporting.notices import Notice
from reporting.tool_language import _, isolate

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
                _("cannot use the signing key {file}: {reason}").format(
                    file=isolate(key_file),
                    reason=_("expected an RSA, DSA or EC key pyHanko can sign with, found another kind"),
                )
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
        return SigningError(
            _("cannot use the signing key {file}: {reason}").format(file=isolate(key_file), reason=what)
        )

    try:
        data = key_file.read_bytes()
    except FileNotFoundError:
        raise refuse(_("expected a PKCS#12 file (.p12 or .pfx), found no file")) from None
    except IsADirectoryError:
        raise refuse(_("expected a PKCS#12 file (.p12 or .pfx), found a folder")) from None
    except OSError as exc:
        raise refuse(_("the file cannot be read ({reason})").format(reason=exc.strerror)) from None
    if not _is_pkcs12(data):
        raise refuse(
            _(
                "expected a PKCS#12 file (.p12 or .pfx), found other content (a PEM key or certificate? bundle "
                "them with `openssl pkcs12 -export`)"
            )
        )
    secret = os.environ.get(PASSPHRASE_VARIABLE)
    passphrase = secret.encode() if secret is not None else None
    try:
        key, certificate, _others = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError:
        if passphrase is None:
            raise refuse(
                _("it is protected by a passphrase: set {variable}").format(variable=isolate("$" + PASSPHRASE_VARIABLE))
            ) from None
        raise refuse(_("wrong passphrase in {variable}").format(variable=isolate("$" + PASSPHRASE_VARIABLE))) from None
    if key is None:
        raise refuse(_("expected a private key in it, found only certificates (export the key with its certificate)"))
    if certificate is None:
        raise refuse(_("expected the signer's certificate in it, found only a private key"))
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
    problems: list[str] = []
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception as exc:  # a damaged file: pyHanko's parser raises many kinds
        text = _("invalid signature: {file} cannot be read ({reason})").format(file=isolate(path.name), reason=exc)
        return [Notice(text, "invalid-signature")]
    for signature in signatures:
        context = ValidationContext(trust_roots=[signature.signer_cert])
        try:
            status = validate_pdf_signature(signature, context)
        except Exception as exc:  # a damaged signature dictionary: pyHanko raises many kinds
            text = _("invalid signature: {file} (field {field}: cannot be checked: {reason})").format(
                file=isolate(path.name), field=isolate(signature.field_name), reason=exc
            )
            problems.append(Notice(text, "invalid-signature"))
            continue
        if signers is not None:
            signers.append(signature.signer_cert)
        trouble = _signature_trouble(status)
        if trouble:
            text = _("invalid signature: {file} (field {field}: {reason})").format(
                file=isolate(path.name), field=isolate(signature.field_name), reason=trouble
            )
            problems.append(Notice(text, "invalid-signature"))
    return problems


def _signature_trouble(status) -> str | None:
    """Why a signature does not vouch for the file as it is: altered signed bytes, a bad signature, or
    anything appended after it (an incremental update adding an annotation keeps the old signature
    intact and valid, so coverage and modification level must be checked too)."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel as Coverage

    if not status.intact:
        return _("modified after signing")
    if not status.valid:
        return _("signature does not verify")
    if status.coverage != Coverage.ENTIRE_FILE:
        level = getattr(status.modification_level, "name", "unknown")
        return _(
            "the file was changed after signing (expected the signature to cover the whole file, found later "
            "additions, modification level {level})"
        ).format(level=isolate(level))
    if status.modification_level not in (None, ModificationLevel.NONE):
        return _("the file was changed after signing (modification level {level})").format(
            level=isolate(status.modification_level.name)
        )
    return None


def manifest_signature_problems(manifest: bytes, signature: bytes | None, pdf_signers: list) -> list[str]:
    """A signed build's manifest carries a detached signature by the same key as its PDFs, so that
    editing files and manifest together is detected; a manifest of signed PDFs without one is a problem."""
    from reporting.build.manifest import MANIFEST_NAME, MANIFEST_SIGNATURE_NAME

    if signature is None:
        return (
            [
                Notice(
                    _(
                        "unsigned: {manifest} has no {signature}, though its PDFs are signed (the manifest may "
                        "have been edited)"
                    ).format(manifest=isolate(MANIFEST_NAME), signature=isolate(MANIFEST_SIGNATURE_NAME)),
                    "unsigned-manifest",
                )
            ]
            if pdf_signers
            else []
        )
    try:
        signer = _verified_signer(manifest, signature)
    except Exception as exc:  # not a CMS signature at all: asn1crypto and pyHanko raise many kinds
        text = _("invalid signature: {file} cannot be read ({reason})").format(
            file=isolate(MANIFEST_SIGNATURE_NAME), reason=shorten(str(exc))
        )
        return [Notice(text, "invalid-signature")]
    if signer is None:
        text = _("invalid signature: {manifest} was changed after it was signed ({signature})").format(
            manifest=isolate(MANIFEST_NAME), signature=isolate(MANIFEST_SIGNATURE_NAME)
        )
        return [Notice(text, "invalid-signature")]
    strangers = {cert.dump() for cert in pdf_signers} - {signer.dump()}
    if strangers:
        text = _("invalid signature: {signature} is by {signer}, not by the key that signed the PDFs").format(
            signature=isolate(MANIFEST_SIGNATURE_NAME), signer=isolate(signer.subject.human_friendly)
        )
        return [Notice(text, "invalid-signature")]
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
