#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_licence.sh: every source, header, script, build file, man page and test
# carries the SPDX line and a copyright line; COPYING is the GPL version 3;
# `pmk --version` has the GNU form; pmk.pc names the licence.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
cd "$PMK_TOP_SRCDIR"

# The files to check: git's list in a checkout, the unpacked tree in a tarball
# (make distcheck), the same rule for both: C sources and headers, shell and
# Python scripts, Makefile fragments, configure.ac, man pages, the scripts
# without an ending.  Data (CSV, images, IDX, models) and prose are not code.
if [ -e .git ] && command -v git >/dev/null; then
    git ls-files >"$T/all"
else
    find . -path ./_build -prune -o -type f -print | sed 's|^\./||' >"$T/all"
fi
grep -E '\.(c|h|h\.in|sh|py|mk|am|ac|1)$|^doc/help/.*\.txt$|^(quickstart|bootstrap|\.ci/run|bench/csv_parse|pmk\.pc\.in)$' "$T/all" |
    grep -vE '^(_build|pmk-[0-9])|/Makefile\.in$|^Makefile\.in$|^aclocal|^build-aux/|^m4/|^config\.h|^configure$|^include/pmk/version\.h$' >"$T/src"
[ "$(wc -l <"$T/src")" -ge 100 ] || fail "only $(wc -l <"$T/src") source files found: the file list is wrong"
: >"$T/bad"
while IFS= read -r f; do
    head -n 4 "$f" | grep -q 'SPDX-License-Identifier: GPL-3\.0-or-later' &&
        head -n 5 "$f" | grep -q 'Copyright (C) [0-9]\{4\}' || echo "$f" >>"$T/bad"
done <"$T/src"
[ ! -s "$T/bad" ] || fail "no SPDX or copyright line near the top of: $(tr '\n' ' ' <"$T/bad")"

head -n 3 COPYING | grep -q 'GNU GENERAL PUBLIC LICENSE' || fail "COPYING is not the GNU GPL"
grep -q '^[[:space:]]*Version 3, 29 June 2007' COPYING || fail "COPYING is not version 3 of the GPL"
grep -q '^License: GPL-3\.0-or-later$' "$PMK_TOP_BUILDDIR/pmk.pc" || fail "pmk.pc does not name the licence"

expect_ok $PMK --version
sed -n 2,5p "$T/out" >"$T/got"
cat >"$T/want" <<'END'
Copyright (C) 2026 The pmk developers.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.
END
cmp -s "$T/got" "$T/want" || fail "pmk --version lines 2-5: $(cat "$T/got")"
head -n 1 "$T/out" | grep -q '^pmk [0-9][0-9.]* ' || fail "pmk --version line 1: $(head -n 1 "$T/out")"
echo "$(wc -l <"$T/src") files carry the SPDX line; COPYING, --version and pmk.pc name GPL-3.0-or-later"
