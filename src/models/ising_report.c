/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising_report.c: a denoising run's figures as a pmk_report (text and JSON),
 * so that a C program gets what `pmk ising denoise` prints; and the method
 * lists of --compare. */
#include "config.h"

#include <string.h>

#include "pmk/ising.h"
#include "pmk/report.h"

void pmk_ising_result_to_report(const pmk_ising_params *p, const pmk_ising_options *o,
                                const pmk_ising_result *res, const char *truth, double seconds,
                                pmk_report *r)
{
    const pmk_ising_method m = o->method;
    const size_t n = res->width * res->height, nt = res->ntrace;
    const int cut = m == PMK_ISING_MINCUT;
    const char *method = pmk_ising_method_name(m), *order = pmk_ising_order_name(o->order);
    pmk_report_str(r, "method", method, "method %s", method);
    pmk_report_str(r, "order", order, cut ? NULL : " (%s order)", order);
    pmk_report_int(r, "neighbours", p->neighbours, ", %d neighbours", p->neighbours);
    pmk_report_int(r, "levels", p->levels, p->levels ? ", %u levels" : NULL, p->levels);
    pmk_report_num(r, "beta", p->beta, ", beta %g", p->beta);
    pmk_report_num(r, "eta", p->eta, ", eta %g", p->eta);
    pmk_report_num(r, "h", p->h, ", h %g\n", p->h);
    pmk_report_int(r, "width", (long long)res->width, NULL);
    pmk_report_int(r, "height", (long long)res->height, NULL);
    pmk_report_int(r, "sweeps", (long long)res->sweeps, cut ? NULL : "sweeps %zu%s\n",
                   res->sweeps,
                   m == PMK_ISING_ANNEAL ? ""
                   : res->converged      ? " (converged)"
                                         : " (stopped at --max-sweeps)");
    pmk_report_bool(r, "converged", cut || res->converged, NULL);
    for (const pmk_ising_sweep *s = res->trace; m == PMK_ISING_ICM && s < res->trace + nt; s++) {
        pmk_report_text(r, "  sweep %zu: changed %zu, energy %.10g", s->sweep, s->changed,
                        s->energy);
        pmk_report_text(r, truth ? ", error %.4f%%\n" : "\n", 100.0 * (double)s->errors / n);
    }
    pmk_report_num(r, "energy_initial", res->energy_initial, "energy %.10g",
                   res->energy_initial);
    pmk_report_num(r, "energy", res->energy, " -> %.10g\n", res->energy);
    pmk_report_int(r, "changed", (long long)res->changed, "changed %zu of %zu pixels\n",
                   res->changed, n);
    if (truth) {
        pmk_report_int(r, "errors", (long long)res->errors, NULL);
        pmk_report_num(r, "error", res->error, "error %.4f%% (%zu of %zu pixels differ from %s)\n",
                       100.0 * res->error, res->errors, n, truth);
    }
    pmk_report_num(r, "seconds", seconds, NULL);
    /* The per-sweep lists; a count prints as a number does (below 2^53). */
    const char *lists[] = {"changed_per_sweep", "energy_per_sweep", "error_per_sweep"};
    for (int l = 0; l < (truth ? 3 : 2); l++) {
        pmk_report_begin_list(r, lists[l]);
        for (const pmk_ising_sweep *s = res->trace; s < res->trace + nt; s++)
            pmk_report_num(r, NULL, l == 0   ? (double)s->changed
                                    : l == 1 ? s->energy
                                             : (double)s->errors / (double)n, NULL);
        pmk_report_end_list(r);
    }
}

int pmk_ising_method_list_parse(const char *list, pmk_ising_method *out, size_t *n,
                                pmk_error *err)
{
    size_t k = 0;
    const char *s = list;
    for (;;) {
        size_t len = strcspn(s, ",");
        char name[16];
        if (len == 0)
            return pmk_error_set(err, PMK_EINVAL, "an empty name in the method list '%s'", list);
        if (len >= sizeof name)
            return pmk_error_set(err, PMK_EINVAL, "'%.*s' is not one of icm, anneal, meanfield, "
                                 "mincut", (int)len, s);
        memcpy(name, s, len);
        name[len] = '\0';
        pmk_ising_method m;
        int rc = pmk_ising_method_parse(name, &m, err);
        if (rc)
            return rc;
        for (size_t i = 0; i < k; i++)
            if (out[i] == m)
                return pmk_error_set(err, PMK_EINVAL, "'%s' is listed twice", name);
        out[k++] = m;   /* at most 4: a fifth name repeats one */
        if (!s[len])
            break;
        s += len + 1;
    }
    *n = k;
    return PMK_OK;
}
