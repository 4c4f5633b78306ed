#!/usr/bin/env bash
# Installs the real clients the tests drive, from Debian's packages, when they are missing:
# LibreOffice (headless conversion of generated workbooks, formula recalculation, and of the
# documents for signing to PDF), poppler (pdftotext, pdftoppm) and Chromium (the HTML report);
# the fonts and the UNO bridge of the row-height test.
set -euo pipefail
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
# Writer opens the documents for signing (.docx); poppler's pdftotext reads what it printed
[ -e /usr/lib/libreoffice/program/libswlo.so ] || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "liberation" || need+=(fonts-liberation)
# Liberation Serif 2 has Times New Roman's metrics and Vietnamese letters (version 1 has none,
# so LibreOffice would draw them in a wider fallback font); python3-uno lets a test ask
# LibreOffice how tall each row needs to be
fc-list 2>/dev/null | grep -qi "liberation2" || need+=(fonts-liberation2)
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need+=(python3-uno)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Thiếu gói hệ thống: ${need[*]}. Hãy cài bằng: sudo apt-get install ${need[*]}" >&2
  exit 2
fi
echo "Cài gói hệ thống: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
