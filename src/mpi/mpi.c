/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* mpi.c: pmk under `mpirun -np P`: start and end, the one failure protocol
 * (pmkmpi_agree) and each rank's part of a data file.  Program code, built
 * with --with-mpi only; libpmk knows nothing of MPI (doc/design.md, "MPI"). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <mpi.h>

#include "cli/cli.h"
#include "mpi/pmk_mpi.h"

/* Program state, not the library's: this process's place in the job, and
 * whether a failure has already been agreed on (after which no rank takes
 * part in another agreement, so that ranks that stopped early and ranks that
 * did not make the same number of calls). */
static int rank_, size_ = 1, agreed_failure, stderr_fd = -1, started;

int pmkmpi_rank(void) { return rank_; }
int pmkmpi_size(void) { return size_; }

void pmkmpi_init(int *argc, char ***argv)
{
    /* Not started by mpirun (Open MPI's, or a PMIx / PMI launcher): one
     * process, no MPI at all, exactly as a build without it. */
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMIX_RANK") && !getenv("PMI_RANK"))
        return;
    started = 1;
    MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    if (rank_ == 0)
        return;
    /* Only rank 0 prints.  The others' stderr goes to a temporary file, so
     * that a failure of theirs can still be reported by rank 0. */
    FILE *t = tmpfile();
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
        dup2(null, 1);
        close(null);
    }
    if (t) {
        stderr_fd = dup(fileno(t));   /* kept past fclose, read by finalize */
        dup2(stderr_fd, 2);
        fclose(t);
    }
}

/* The first failing rank's status and message to every rank.  @p msg in/out,
 * PMK_ERROR_MSG_MAX bytes. */
static int agree_msg(int rc, char *msg)
{
    if (agreed_failure)
        return rc ? rc : PMK_EIO;
    struct { int ok, rank; } in = {rc == 0, rank_}, out;
    MPI_Allreduce(&in, &out, 1, MPI_2INT, MPI_MINLOC, MPI_COMM_WORLD);
    if (out.ok)
        return 0;
    agreed_failure = 1;
    MPI_Bcast(&rc, 1, MPI_INT, out.rank, MPI_COMM_WORLD);
    MPI_Bcast(msg, PMK_ERROR_MSG_MAX, MPI_CHAR, out.rank, MPI_COMM_WORLD);
    msg[PMK_ERROR_MSG_MAX - 1] = '\0';
    return rc;
}

int pmkmpi_agree(int rc, pmk_error *err)
{
    if (size_ == 1)
        return rc;
    pmk_error e = {0};
    pmk_error *use = err ? err : &e;
    if (!rc)
        use->msg[0] = '\0';
    int got = agree_msg(rc, use->msg);
    if (got && got != rc)
        use->code = got;
    return got;
}

/* The last line this rank wrote on stderr (a CLI message "pmk VERB: cause"),
 * without the "pmk VERB: " that rank 0's cli_error adds again. */
static void last_message(char *msg)
{
    snprintf(msg, PMK_ERROR_MSG_MAX, "rank %d failed", rank_);
    char buf[4 * PMK_ERROR_MSG_MAX];
    fflush(stderr);
    off_t end = stderr_fd >= 0 ? lseek(stderr_fd, 0, SEEK_END) : -1;
    if (end <= 0)
        return;
    off_t from = end > (off_t)sizeof buf - 1 ? end - (off_t)sizeof buf + 1 : 0;
    ssize_t n = pread(stderr_fd, buf, (size_t)(end - from), from);
    if (n <= 0)
        return;
    while (n > 0 && buf[n - 1] == '\n')
        n--;
    buf[n] = '\0';
    char *line = strrchr(buf, '\n');
    line = line ? line + 1 : buf;
    char *colon = strncmp(line, "pmk ", 4) ? NULL : strstr(line, ": ");
    line = colon ? colon + 2 : line;
    size_t n1 = strlen(line) < PMK_ERROR_MSG_MAX - 1 ? strlen(line) : PMK_ERROR_MSG_MAX - 1;
    memcpy(msg, line, n1);
    msg[n1] = '\0';
}

int pmkmpi_agree_status(int status, pmk_error *err)
{
    if (size_ == 1 || !status)
        return pmkmpi_agree(status ? PMK_EDATA : PMK_OK, err);
    pmk_error e = {0};
    pmk_error *use = err ? err : &e;
    last_message(use->msg);
    use->code = status == PMK_EXIT_USAGE ? PMK_EINVAL : PMK_EDATA;
    return pmkmpi_agree(use->code, use);
}

int pmkmpi_finalize(int status)
{
    if (!started)
        return status;
    if (size_ > 1) {
        char msg[PMK_ERROR_MSG_MAX] = "";
        int was_agreed = agreed_failure;
        if (status)
            last_message(msg);
        int got = agree_msg(status, msg);
        /* a failure rank 0 has not seen: its message, printed once here */
        if (got && !was_agreed && rank_ == 0 && !status)
            cli_error("%s", msg);
        /* every rank exits with the same, worst status */
        int worst = got > status ? got : status;
        MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        status = worst;
    }
    MPI_Finalize();
    return status;
}

/* ---------------------------------------------------------------- ranges */

/* N, the first dimension of an IDX file (gzipped or not): magic 00 00 T n,
 * then n big-endian 32-bit sizes. */
static int idx_rows(const char *path, unsigned long long *n, pmk_error *err)
{
    unsigned char h[8];
    pmk_instream *in = pmk_instream_open(path, err);
    long got = in ? pmk_instream_read(in, h, sizeof h, err) : -1;
    pmk_instream_close(in);
    if (got < 0)
        return err ? err->code : PMK_EIO;
    if (got < 8)
        return pmk_error_set(err, PMK_EFORMAT, "%s: truncated IDX header", path);
    *n = (unsigned long long)h[4] << 24 | (unsigned long long)h[5] << 16
         | (unsigned long long)h[6] << 8 | h[7];
    return PMK_OK;
}

int pmkmpi_range(const char *path, pmk_data_options *o, pmk_error *err)
{
    if (size_ == 1)
        return PMK_OK;
    if (!strcmp(path, "-"))
        return pmk_error_set(err, PMK_EINVAL, "under mpirun, standard input cannot be split "
                             "among %d ranks: give a file", size_);
    int format = o->format;
    unsigned long long total = 0;
    if (format == PMK_DATA_AUTO && pmk_data_sniff(path, &format, err))
        return err ? err->code : PMK_EIO;
    if (format == PMK_DATA_IDX) {
        if (idx_rows(path, &total, err))
            return err ? err->code : PMK_EIO;
    } else {
        struct stat st;
        if (stat(path, &st))
            return pmk_error_set(err, PMK_EIO, "%s: %s", path, strerror(errno));
        total = (unsigned long long)st.st_size;
    }
    /* [r T / P, (r+1) T / P), in 128-bit-safe steps: T < 2^64 / P */
    unsigned long long P = (unsigned long long)size_, r = (unsigned long long)rank_;
    o->begin = total / P * r + total % P * r / P;
    o->end = rank_ == size_ - 1 ? PMK_DATA_END : total / P * (r + 1) + total % P * (r + 1) / P;
    return PMK_OK;
}
