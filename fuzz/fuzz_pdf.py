"""atheris harness: PDF files (pypdf text extraction, damaged xref tables, encryption, no text layer)."""

from harness import main  # puts the repository on sys.path

from tests.test_loaders import minimal_pdf  # the tests' one-page PDF with a correct xref table

if __name__ == "__main__":
    main(lambda data: ".pdf", [minimal_pdf("Social security card replacement guide"), minimal_pdf("Article 1 (a) [b]")])
