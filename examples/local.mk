# examples/local.mk: C programs built against the installed libpmk; make installcheck (issue 7).
