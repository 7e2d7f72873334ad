/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_text.c: the classifier's text interfaces, for any front end: fitting
 * options given by name and value (as `pmk gnb fit` takes them), and an
 * evaluation as a text table (per-class precision and recall, confusion
 * matrix), as scikit-learn's classification_report gives one. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/gnb_internal.h"
#include "io/record_internal.h"

/* ---------------------------------------------------------------- options */

/* "empirical", "uniform" or a comma-separated list of numbers. */
static int set_priors(pmk_gnb_options *o, const char *s, double **list, pmk_error *err)
{
    free(*list);
    *list = NULL;
    o->prior = NULL;
    o->n_prior = 0;
    if (!strcmp(s, "empirical") || !strcmp(s, "uniform")) {
        o->priors = s[0] == 'e' ? PMK_GNB_PRIOR_EMPIRICAL : PMK_GNB_PRIOR_UNIFORM;
        return PMK_OK;
    }
    size_t cap = 1, k = 0;
    for (const char *p = s; *p; p++)
        cap += (*p == ',');
    double *v = malloc(cap * sizeof *v);
    locale_t c = pmk_c_locale_new();   /* numbers in the C locale, as everywhere in pmk */
    if (!v || !c) {
        free(v);
        if (c)
            freelocale(c);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    }
    for (const char *p = s;;) {
        char *end;
        errno = 0;
        double x = strtod_l(p, &end, c);
        if (end == p || (*end && *end != ',') || errno == ERANGE || !isfinite(x))
            break;
        v[k++] = x;
        if (!*end) {
            freelocale(c);
            o->priors = PMK_GNB_PRIOR_EXPLICIT;
            o->prior = *list = v;
            o->n_prior = k;
            return pmk_gnb_options_check(o, err);
        }
        p = end + 1;
    }
    freelocale(c);
    free(v);
    return pmk_error_set(err, PMK_EINVAL, "'%s' is not a comma-separated list of numbers", s);
}

/* A finite number in the C locale. */
static int set_double(const char *s, double *out, pmk_error *err)
{
    locale_t c = pmk_c_locale_new();
    if (!c)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    char *end;
    errno = 0;
    double v = strtod_l(s, &end, c);
    freelocale(c);
    if (end == s || *end || errno == ERANGE || !isfinite(v))
        return pmk_error_set(err, PMK_EINVAL, "'%s' is not a finite number", s);
    *out = v;
    return PMK_OK;
}

int pmk_gnb_options_set(pmk_gnb_options *o, const char *name, const char *value, double **list,
                        pmk_error *err)
{
    if (!strcmp(name, "var-smoothing"))
        return set_double(value, &o->var_smoothing, err);
    if (!strcmp(name, "var-floor"))
        return set_double(value, &o->var_floor, err);
    if (!strcmp(name, "priors"))
        return set_priors(o, value, list, err);
    if (!strcmp(name, "variance")) {
        if (strcmp(value, "shared") && strcmp(value, "class"))
            return pmk_error_set(err, PMK_EINVAL, "'shared' or 'class', not '%s'", value);
        o->variance = value[0] == 's' ? PMK_GNB_VAR_SHARED : PMK_GNB_VAR_CLASS;
        return PMK_OK;
    }
    if (!strcmp(name, "max-classes"))   /* decimal digits only, within a size_t */
        return pmk_rec_is_count(value, &o->max_classes)
                   ? PMK_OK
                   : pmk_error_set(err, PMK_EINVAL, "'%s' is not a non-negative integer", value);
    return pmk_error_set(err, PMK_EINVAL, "no option '%s'", name);
}

/* ---------------------------------------------------------------- report */

/* The per-class table and the confusion matrix into @p f. */
static void write_report(const pmk_gnb_eval *e, const long *lab, FILE *f)
{
    const size_t K = e->k;
    fprintf(f, "\n   label  precision    recall   support\n");
    for (size_t k = 0; k < K; k++) {
        const double pr[2] = {pmk_gnb_eval_precision(e, k), pmk_gnb_eval_recall(e, k)};
        fprintf(f, "%8ld ", lab[k]);
        for (int i = 0; i < 2; i++) {   /* "-" where undefined */
            if (isnan(pr[i]))
                fprintf(f, "%10s", "-");
            else
                fprintf(f, "%10.4f", pr[i]);
        }
        fprintf(f, "%10zu\n", e->support[k]);
    }
    if (!e->confusion) {
        fprintf(f, "\nno confusion matrix: more than %d classes\n", PMK_GNB_EVAL_CONFUSION_MAX);
        return;
    }
    /* one width for every column: the widest label or count, plus a space */
    int w = 5;
    for (size_t k = 0; k < K; k++) {
        int l = snprintf(NULL, 0, "%ld", lab[k]) + 1;
        w = l > w ? l : w;
        for (size_t p = 0; p < K; p++) {
            l = snprintf(NULL, 0, "%zu", e->confusion[k * K + p]) + 1;
            w = l > w ? l : w;
        }
    }
    fprintf(f, "\nconfusion matrix (rows: true label, columns: predicted label)\n%*s", w, "");
    for (size_t p = 0; p < K; p++)
        fprintf(f, "%*ld", w, lab[p]);
    fputc('\n', f);
    for (size_t t = 0; t < K; t++) {
        fprintf(f, "%*ld", w, lab[t]);
        for (size_t p = 0; p < K; p++)
            fprintf(f, "%*zu", w, e->confusion[t * K + p]);
        fputc('\n', f);
    }
}

char *pmk_gnb_eval_report(const pmk_gnb_eval *e, const pmk_gnb *m)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    pmk_c_locale loc;
    int entered = pmk_c_locale_enter(&loc) == PMK_OK;
    write_report(e, m->labels, f);
    if (entered)
        pmk_c_locale_leave(&loc);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
