"""PAdES signatures for archived PDFs (pyHanko), and their check in ``verify``."""
from __future__ import annotations

import io
import logging
import os
from pathlib import Path

from reporting.errors import ReportingError, SigningError

PASSPHRASE_VARIABLE = "REPORTING_SIGN_PASSPHRASE"


class PdfSigner:
    """Signs PDFs with one PKCS#12 key; the passphrase comes from $REPORTING_SIGN_PASSPHRASE."""

    def __init__(self, key_file: Path):
        from pyhanko.sign import signers

        passphrase = os.environ.get(PASSPHRASE_VARIABLE)
        try:
            self._signer = signers.SimpleSigner.load_pkcs12(
                str(key_file), passphrase=passphrase.encode() if passphrase is not None else None)
        except (OSError, ValueError) as exc:
            raise SigningError(f"cannot use the signing key {key_file}: {exc}") from None
        if self._signer is None:
            raise SigningError(f"cannot use the signing key {key_file}: wrong passphrase in ${PASSPHRASE_VARIABLE}?")

    def sign(self, pdf: bytes) -> bytes:
        """An incremental update with a PAdES signature, so the signed bytes stay the PDF/A file."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko.sign.fields import SigSeedSubFilter

        output = io.BytesIO()
        metadata = signers.PdfSignatureMetadata(field_name="Signature", subfilter=SigSeedSubFilter.PADES)
        signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), metadata, signer=self._signer, output=output)
        return output.getvalue()


def signature_problems(path: Path) -> list[str]:
    """Each signature of the PDF must cover the file as it is and be cryptographically valid.

    Whether the signer is trusted is a question for the reader's PDF viewer and
    its trust store; here the signer's own certificate is taken as the root.
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
        status = validate_pdf_signature(signature, context)
        if not (status.intact and status.valid):
            problems.append(f"invalid signature: {path.name} (field {signature.field_name}: "
                            f"{'modified after signing' if not status.intact else 'signature does not verify'})")
    return problems
