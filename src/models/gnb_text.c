/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_text.c: the classifier's text interfaces, for any front end: fitting
 * options given by name and value (as `pmk gnb fit` takes them), and an
 * evaluation as a text table (per-class precision, recall and F1, their
 * averages, the confusion matrix), as scikit-learn's classification_report
 * gives one, and as the fields of a report (pmk/report.h). */
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
    if (!strcmp(name, "ridge"))
        return set_double(value, &o->ridge, err);
    if (!strcmp(name, "covariance")) {
        if (strcmp(value, "diag") && strcmp(value, "full"))
            return pmk_error_set(err, PMK_EINVAL, "'diag' or 'full', not '%s'", value);
        o->covariance = value[0] == 'f' ? PMK_GNB_COV_FULL : PMK_GNB_COV_DIAG;
        return PMK_OK;
    }
    if (!strcmp(name, "max-classes"))   /* decimal digits only, within a size_t */
        return pmk_rec_is_count(value, &o->max_classes)
                   ? PMK_OK
                   : pmk_error_set(err, PMK_EINVAL, "'%s' is not a non-negative integer", value);
    return pmk_error_set(err, PMK_EINVAL, "no option '%s'", name);
}

/* ---------------------------------------------------------------- report */

/* One cell of the table: " %9.4f", or "-" where undefined. */
static void cell(FILE *f, double v)
{
    if (isnan(v))
        fprintf(f, " %9s", "-");
    else
        fprintf(f, " %9.4f", v);
}

/* The per-class table (classification_report's layout, digits=4) and the
 * confusion matrix into @p f. */
static void write_report(const pmk_gnb_eval *e, const pmk_gnb *m, FILE *f)
{
    const size_t K = e->k;
    char b[32];
    int w = 12;   /* strlen("weighted avg") */
    for (size_t k = 0; k < K; k++) {
        int l = (int)strlen(pmk_gnb_label_text(m, k, b));
        w = l > w ? l : w;
    }
    fprintf(f, "\n%*s  %9s %9s %9s %9s\n\n", w, "", "precision", "recall", "f1-score", "support");
    for (size_t k = 0; k < K; k++) {
        fprintf(f, "%*s ", w, pmk_gnb_label_text(m, k, b));
        cell(f, e->precision[k]);
        cell(f, e->recall[k]);
        cell(f, e->f1[k]);
        fprintf(f, " %9zu\n", e->support[k]);
    }
    fprintf(f, "\n%*s  %9s %9s", w, "accuracy", "", "");
    cell(f, e->accuracy);
    fprintf(f, " %9zu\n", e->n);
    const char *avg[2] = {"macro avg", "weighted avg"};
    const double v[2][3] = {{e->macro_precision, e->macro_recall, e->macro_f1},
                            {e->weighted_precision, e->weighted_recall, e->weighted_f1}};
    for (int a = 0; a < 2; a++) {
        fprintf(f, "%*s ", w, avg[a]);
        for (int j = 0; j < 3; j++)
            cell(f, v[a][j]);
        fprintf(f, " %9zu\n", e->n);
    }
    if (!e->confusion) {
        fprintf(f, "\nno confusion matrix: more than %d classes\n", PMK_GNB_EVAL_CONFUSION_MAX);
        return;
    }
    /* one width for every column: the widest label or count, plus a space */
    w = 5;
    for (size_t k = 0; k < K; k++) {
        int l = (int)strlen(pmk_gnb_label_text(m, k, b)) + 1;
        w = l > w ? l : w;
        for (size_t p = 0; p < K; p++) {
            l = snprintf(NULL, 0, "%zu", e->confusion[k * K + p]) + 1;
            w = l > w ? l : w;
        }
    }
    fprintf(f, "\nconfusion matrix (rows: true label, columns: predicted label)\n%*s", w, "");
    for (size_t p = 0; p < K; p++)
        fprintf(f, "%*s", w, pmk_gnb_label_text(m, p, b));
    fputc('\n', f);
    for (size_t t = 0; t < K; t++) {
        fprintf(f, "%*s", w, pmk_gnb_label_text(m, t, b));
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
    write_report(e, m, f);
    if (entered)
        pmk_c_locale_leave(&loc);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

void pmk_gnb_eval_to_report(const pmk_gnb_eval *e, const pmk_gnb *m, pmk_report *r)
{
    char *table = pmk_gnb_eval_report(e, m);
    pmk_report_int(r, "n", (long long)e->n, "rows                %zu\n", e->n);
    pmk_report_int(r, "correct", (long long)e->correct, NULL);
    pmk_report_num(r, "accuracy", e->accuracy, "accuracy            %.4f (%zu/%zu)\n", e->accuracy,
                   e->correct, e->n);
    pmk_report_num(r, "mean_nll", e->mean_nll, "mean NLL            %.6f nats\n", e->mean_nll);
    pmk_report_num(r, "mean_log_posterior", e->mean_log_post, NULL);
    pmk_report_num(r, "log_loss", e->log_loss,
                   "log-loss            %.6f nats (mean -log p(true class | x))\n", e->log_loss);
    pmk_report_int(r, "zero_variance_rows", (long long)e->zero_var_rows, NULL);
    if (m->tokens) {   /* a model of tokens: the labels as strings */
        pmk_report_begin_list(r, "labels");
        for (size_t k = 0; k < e->k; k++)
            pmk_report_str(r, NULL, m->tok.tok[k], NULL);
        pmk_report_end_list(r);
    } else {
        pmk_report_longs(r, "labels", m->labels, e->k);
    }
    pmk_report_text(r, "%s", table ? table : "\n(out of memory for the per-class table)\n");
    pmk_report_nums(r, "precision", e->precision, e->k);
    pmk_report_nums(r, "recall", e->recall, e->k);
    pmk_report_nums(r, "f1", e->f1, e->k);
    pmk_report_begin_list(r, "support");
    for (size_t k = 0; k < e->k; k++)
        pmk_report_int(r, NULL, (long long)e->support[k], NULL);
    pmk_report_end_list(r);
    const char *key[6] = {"macro_precision",    "macro_recall",    "macro_f1",
                          "weighted_precision", "weighted_recall", "weighted_f1"};
    const double v[6] = {e->macro_precision,    e->macro_recall,    e->macro_f1,
                         e->weighted_precision, e->weighted_recall, e->weighted_f1};
    for (int i = 0; i < 6; i++)
        pmk_report_num(r, key[i], v[i], NULL);
    if (e->confusion)
        pmk_report_size_matrix(r, "confusion", e->confusion, e->k, e->k);
    else   /* K > PMK_GNB_EVAL_CONFUSION_MAX */
        pmk_report_null(r, "confusion");
    free(table);
}
