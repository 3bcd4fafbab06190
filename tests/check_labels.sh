#!/usr/bin/env bash
# The C tests that start a real koe (they read KOE_BIN) must carry the
# 'system' label, so `ctest -L unit` stays the fast loop it promises.
# Argument: the CMake list of system tests (semicolon-separated).
set -u
fail=0
listed=";$1;"
for f in tests/test_*.c; do
	name=$(basename "$f" .c)
	if grep -q 'KOE_BIN\|server_fixture.h' "$f"; then
		case "$listed" in
		*";$name;"*) ;;
		*) echo "FAIL: $name starts koe but is not in KOE_SYSTEM_TESTS (CMakeLists.txt)" >&2; fail=1 ;;
		esac
	fi
done
[ $fail -eq 0 ] && echo "labels: every test that starts koe is a system test"
exit $fail
