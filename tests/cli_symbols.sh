#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_symbols.sh: the shared libpmk exports exactly the functions that the
# installed headers (include/pmk/*.h) declare with PMK_API: no internal
# function is exported, no documented one is missing, and every pmk_ function
# declared in a public header carries PMK_API (doc/design.md, "The ABI").
. "$PMK_TOP_SRCDIR/tests/lib.sh"
so=$(ls "$PMK_TOP_BUILDDIR"/src/.libs/libpmk.so.* 2>/dev/null | head -n 1)
[ -n "$so" ] || { echo "no shared libpmk built: skipped"; exit 77; }
command -v nm >/dev/null || { echo "no nm: skipped"; exit 77; }

# exported SO: the dynamic symbols SO defines, without version suffixes and
# without the ones the linker defines in every shared object.
exported() {
    nm -D --defined-only "$1" | awk 'NF == 3 { print $3 }' | sed 's/@.*//' \
        | grep -v -x -e _init -e _fini -e _edata -e _end -e __bss_start | sort -u
}

# code DIR: DIR/*.h with the comments blanked out.
code() {
    cat "$1"/*.h | awk '
        { out = ""; s = $0
          while (s != "") {
              if (inc) { i = index(s, "*/"); if (!i) { s = ""; break }; s = substr(s, i + 2); inc = 0 }
              else { i = index(s, "/*"); if (!i) { out = out s; s = "" } else { out = out substr(s, 1, i - 1) " "; s = substr(s, i + 2); inc = 1 } }
          }
          print out }'
}

# api DIR: the names declared with PMK_API in DIR/*.h.  A public declaration
# starts its line with PMK_API; the name is the last identifier before the
# first "(" (a function) or before "[", "=" or ";" (an object).
api() {
    code "$1" | sed -n 's/^PMK_API[[:space:]]//p' | awk '
        { s = $0; i = index(s, "(")
          if (i) s = substr(s, 1, i - 1); else sub(/[[=;].*/, "", s)
          n = split(s, w, /[^A-Za-z0-9_]+/); while (n > 1 && w[n] == "") n--
          print w[n] }' | sort -u
}

# unmarked DIR: lines of DIR/*.h that declare a pmk_ function without PMK_API
# (static inline functions are not exported and need none).
unmarked() {
    code "$1" | grep -E '^[A-Za-z_].*[^A-Za-z0-9_]pmk_[A-Za-z0-9_]+[[:space:]]*\(' \
        | grep -v -E '^(PMK_API|typedef|static)[^A-Za-z0-9_]' || true
}

# check SO DIR: prints every difference between SO's exports and DIR's API;
# status 1 when there is one.
check() {
    exported "$1" >"$T/exported"
    api "$2" >"$T/api"
    unmarked "$2" >"$T/unmarked"
    comm -23 "$T/exported" "$T/api" >"$T/extra"
    comm -13 "$T/exported" "$T/api" >"$T/missing"
    st=0
    if [ -s "$T/extra" ]; then
        echo "exported but not declared PMK_API in the public headers: $(paste -s -d ' ' "$T/extra")"
        st=1
    fi
    if [ -s "$T/missing" ]; then
        echo "declared PMK_API in the public headers but not exported: $(paste -s -d ' ' "$T/missing")"
        st=1
    fi
    if [ -s "$T/unmarked" ]; then
        echo "declared in a public header without PMK_API: $(paste -s -d '|' "$T/unmarked")"
        st=1
    fi
    return $st
}

# The check can fail: a library exporting an undeclared function, a header
# declaring one the library lacks, and an unmarked declaration are all caught,
# while declarations in comments are not taken for code.
if command -v cc >/dev/null; then
    mkdir "$T/h"
    cat >"$T/h/demo.h" <<'EOF'
/* Demo: PMK_API int pmk_demo_commented(void); */
PMK_API int pmk_demo_api(void);
PMK_API const char *pmk_demo_doc_only(int x,
                                      int y);
PMK_API extern const int pmk_demo_object[2];
int pmk_demo_unmarked(void);
/* a comment over
int pmk_demo_in_comment(void);
   two lines */
static inline int pmk_demo_inline(void) { return 0; }
EOF
    printf 'int pmk_demo_api(void) { return 1; }\nint pmk_demo_internal(void) { return 2; }\nconst int pmk_demo_object[2] = {1, 2};\n' >"$T/demo.c"
    if cc -shared -fPIC -o "$T/demo.so" "$T/demo.c" 2>/dev/null; then
        if check "$T/demo.so" "$T/h" >"$T/demo.out"; then
            fail "the symbol check passes a library that exports an undeclared function"
        fi
        cat >"$T/demo.want" <<'EOF'
exported but not declared PMK_API in the public headers: pmk_demo_internal
declared PMK_API in the public headers but not exported: pmk_demo_doc_only
declared in a public header without PMK_API: int pmk_demo_unmarked(void);
EOF
        diff "$T/demo.want" "$T/demo.out" >&2 || fail "the symbol check reports the demo library wrongly"
    fi
fi

check "$so" "$PMK_TOP_SRCDIR/include/pmk" >"$T/report" || fail "libpmk's exports differ from its API:
$(cat "$T/report")"
n=$(wc -l <"$T/api")
[ "$n" -gt 100 ] || fail "only $n PMK_API declarations found in $PMK_TOP_SRCDIR/include/pmk"
grep -q -x pmk_rng_alloc "$T/exported" || fail "pmk_rng_alloc is not exported"
echo "$n symbols exported, exactly the PMK_API declarations of include/pmk/*.h"
