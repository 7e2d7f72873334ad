# doc/man/local.mk: man pages pmk(1), pmk-<command>(1) (issue 7).
