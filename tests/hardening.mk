# tests/hardening.mk: the bad-input suite, safe-write and reentrancy tests, valgrind (issue 6).
