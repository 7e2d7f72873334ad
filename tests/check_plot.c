/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_plot.c: the figures of pmk/plot.h: sizes, where a hand-made line
 * lands (pixel colours read back with cairo, not golden images), zoom as
 * pixel replication, and the messages for bad logs and traces. */
#include "config.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_pmk.h"
#include "pmk/pmk.h"

static char dir[300];

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
}

/* A path in the test's folder, valid for the next 7 calls. */
static const char *tpath(const char *name)
{
    static char buf[8][400];   /* several names live at once */
    static size_t next;
    char *b = buf[next++ % 8];
    snprintf(b, 400, "%s/%s", dir, name);
    return b;
}

/* The PNG at path, read back; asserts its size. */
static cairo_surface_t *load(const char *path, int w, int h)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    ck_assert_msg(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, "%s: not a PNG", path);
    ck_assert_int_eq(cairo_image_surface_get_width(s), w);
    ck_assert_int_eq(cairo_image_surface_get_height(s), h);
    return s;
}

/* The 0xRRGGBB of pixel (x, y). */
static unsigned pixel(cairo_surface_t *s, int x, int y)
{
    const unsigned char *d = cairo_image_surface_get_data(s);
    const int stride = cairo_image_surface_get_stride(s);
    return *(const uint32_t *)(const void *)(d + y * stride + 4 * x) & 0xffffffu;
}

/* Colour distance (max over channels) between two 0xRRGGBB. */
static int cdist(unsigned a, unsigned b)
{
    int m = 0;
    for (int k = 0; k < 24; k += 8) {
        int d = abs((int)((a >> k) & 255) - (int)((b >> k) & 255));
        m = d > m ? d : m;
    }
    return m;
}

#define BLUE 0x1f77b4u   /* palette colour 0 */
#define ORANGE 0xff7f0eu /* palette colour 1 */

START_TEST(test_lines_pixels)
{
    /* y = x on x = 0..4: x range [0, 4], y range [-0.2, 4.2] (5% of the span
     * on each side); box x 84..590, y 42..210: (2, 2) lands at
     * (84 + 506/2, 210 - 168 * 2.2/4.4) = (337, 126). */
    const double x[5] = {0, 1, 2, 3, 4}, y[5] = {0, 1, 2, 3, 4}, lvl = 3.5;
    pmk_plot_series s[2] = {{"y = x", x, y, 5}, {"level 3.5", &lvl, &lvl, 1}};
    pmk_plot_panel p = {"y", s, 2};
    pmk_error e;
    double px, py;
    ck_assert_int_eq(pmk_plot_point(&p, 1, 0, 2, 2, &px, &py, &e), PMK_OK);
    ck_assert_double_eq_tol(px, 337.0, 1e-9);
    ck_assert_double_eq_tol(py, 126.0, 1e-9);
    ck_assert_int_eq(pmk_plot_lines(tpath("l.png"), "a line", "x", &p, 1, &e), PMK_OK);
    cairo_surface_t *img = load(tpath("l.png"), PMK_PLOT_WIDTH, PMK_PLOT_TOP + PMK_PLOT_PANEL_H);
    for (int k = 0; k <= 4; k++) {   /* every point of the line, ends included */
        double v = k == 0 ? 0.1 : k == 4 ? 3.9 : k;   /* inside the clip at the ends */
        ck_assert_int_eq(pmk_plot_point(&p, 1, 0, v, v, &px, &py, &e), PMK_OK);
        ck_assert_msg(cdist(pixel(img, (int)px, (int)py), BLUE) < 40, "(%g, %g): %06x", v, v,
                      pixel(img, (int)px, (int)py));
    }
    /* off the line: (3, 1) is background (white or the light grid) */
    ck_assert_int_eq(pmk_plot_point(&p, 1, 0, 3, 1.5, &px, &py, &e), PMK_OK);
    ck_assert_int_lt(cdist(pixel(img, (int)px, (int)py), 0xffffffu), 40);
    /* the reference level: a dashed line at y = 3.5, dashes 6 on 6 off from
     * the box's left edge, so its first 5 pixels are drawn */
    ck_assert_int_eq(pmk_plot_point(&p, 1, 0, 0, 3.5, &px, &py, &e), PMK_OK);
    ck_assert_int_lt(cdist(pixel(img, PMK_PLOT_LEFT + 3, (int)py), ORANGE), 40);
    cairo_surface_destroy(img);
    /* nothing to plot */
    double nan1[2] = {NAN, NAN};
    pmk_plot_series bad = {"nan", nan1, nan1, 2};
    pmk_plot_panel pb = {"y", &bad, 1};
    ck_assert_int_eq(pmk_plot_lines(tpath("n.png"), NULL, NULL, &pb, 1, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "plot: nothing to plot");
    ck_assert_int_eq(pmk_plot_point(&p, 1, 1, 0, 0, &px, &py, &e), PMK_EINVAL);
}
END_TEST

/* Whole-number x (epochs, sweeps) gets whole-number x ticks: x = 1..3 would
 * have ticks every 0.2, so a vertical grid line at 1.6; with whole xs there
 * is one at 2 and none at 1.6.  A fractional x keeps the 0.2 grid.  y = 1.7
 * is on no horizontal grid line (0.2 steps) and away from the curve; a grid
 * line is looked for one pixel either side (the ticks are summed steps). */
static int grid_near(cairo_surface_t *img, double px, double py)
{
    int n = 0;
    for (int d = -1; d <= 1; d++)
        n += cdist(pixel(img, (int)px + d, (int)py), 0xe6e6e6u) < 8;
    return n;
}

START_TEST(test_whole_ticks)
{
    const double xw[3] = {1, 2, 3}, xf[3] = {1, 1.5, 3}, y[3] = {0, 1, 2};
    pmk_error e;
    double px, py;
    for (int frac = 0; frac < 2; frac++) {
        pmk_plot_series s = {"c", frac ? xf : xw, y, 3};
        pmk_plot_panel p = {"y", &s, 1};
        ck_assert_int_eq(pmk_plot_lines(tpath("w.png"), NULL, "epoch", &p, 1, &e), PMK_OK);
        cairo_surface_t *img = load(tpath("w.png"), PMK_PLOT_WIDTH, PMK_PLOT_TOP + PMK_PLOT_PANEL_H);
        ck_assert_int_eq(pmk_plot_point(&p, 1, 0, 1.6, 1.7, &px, &py, &e), PMK_OK);
        ck_assert_int_eq(grid_near(img, px, py), (frac ? 1 : 0));
        ck_assert_int_eq(pmk_plot_point(&p, 1, 0, 2, 1.7, &px, &py, &e), PMK_OK);
        ck_assert_int_eq(grid_near(img, px, py), 1);
        cairo_surface_destroy(img);
    }
}
END_TEST

START_TEST(test_rbm_log)
{
    char log[400];
    snprintf(log, sizeof log, "%s", tpath("train.csv"));
    static const char csv[] = "epoch,recon_error,pseudo_likelihood,free_energy_gap,seconds,elapsed\n"
                              "1,40,-200,0.5,1,1\n2,30,-150,1.5,1,2\n3,25,-120,nan,1,3\n";
    test_write_file(log, csv, sizeof csv - 1);
    pmk_error e;
    ck_assert_msg(pmk_plot_rbm_log(log, tpath("c.png"), &e) == PMK_OK, "%s", e.msg);
    cairo_surface_t *img = load(tpath("c.png"), PMK_PLOT_WIDTH, PMK_PLOT_TOP + 3 * PMK_PLOT_PANEL_H);
    /* the first panel's curve passes through epoch 2, recon 30 */
    const double ep[3] = {1, 2, 3}, re[3] = {40, 30, 25};
    pmk_plot_series s = {"r", ep, re, 3};
    pmk_plot_panel p[3] = {{"", &s, 1}, {"", &s, 1}, {"", &s, 1}};
    double px, py;
    ck_assert_int_eq(pmk_plot_point(p, 3, 0, 2, 30, &px, &py, &e), PMK_OK);
    ck_assert_int_lt(cdist(pixel(img, (int)px, (int)py), BLUE), 40);
    cairo_surface_destroy(img);
    /* the same rows from memory give the same picture */
    const double rows[12] = {1, 40, -200, 0.5, 2, 30, -150, 1.5, 3, 25, -120, NAN};
    ck_assert_int_eq(pmk_plot_rbm_curves(rows, 3, tpath("m.png"), &e), PMK_OK);
    size_t la, lb;
    char *a = test_read_file(tpath("c.png"), &la), *b = test_read_file(tpath("m.png"), &lb);
    ck_assert(la == lb && memcmp(a, b, la) == 0);
    free(a);
    free(b);
    /* bad logs: a missing column (file and line), no rows, a bad number */
    static const char nocol[] = "epoch,recon_error,pseudo_likelihood\n1,2,3\n";
    test_write_file(log, nocol, sizeof nocol - 1);
    ck_assert_int_eq(pmk_plot_rbm_log(log, tpath("x.png"), &e), PMK_EFORMAT);
    char want[600];
    snprintf(want, sizeof want, "%s:1: no column 'free_energy_gap'", log);
    ck_assert_str_eq(e.msg, want);
    static const char empty[] = "epoch,recon_error,pseudo_likelihood,free_energy_gap\n";
    test_write_file(log, empty, sizeof empty - 1);
    ck_assert_int_eq(pmk_plot_rbm_log(log, tpath("x.png"), &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s: no epochs to plot", log);
    ck_assert_str_eq(e.msg, want);
    static const char word[] = "epoch,recon_error,pseudo_likelihood,free_energy_gap\n1,2,3,4\n"
                               "2,x,3,4\n";
    test_write_file(log, word, sizeof word - 1);
    ck_assert_int_eq(pmk_plot_rbm_log(log, tpath("x.png"), &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s:3:2: 'x' is not a number", log);
    ck_assert_str_eq(e.msg, want);
    ck_assert_int_eq(pmk_plot_rbm_curves(rows, 0, tpath("x.png"), &e), PMK_EINVAL);
    ck_assert(access(tpath("x.png"), F_OK) != 0);   /* nothing written */
}
END_TEST

START_TEST(test_traces)
{
    char icm[400], ann[400], mc[400];
    snprintf(icm, sizeof icm, "%s", tpath("icm.csv"));
    snprintf(ann, sizeof ann, "%s", tpath("anneal.csv"));
    snprintf(mc, sizeof mc, "%s", tpath("mincut.csv"));
    static const char a[] = "sweep,changed,energy,error\n1,10,-100,0.1\n2,0,-110,0.05\n";
    static const char b[] = "sweep,changed,energy,error,temperature\n1,50,-50,0.3,4\n"
                            "2,20,-90,0.2,2\n3,5,-112,0.04,1\n";
    test_write_file(icm, a, sizeof a - 1);
    test_write_file(ann, b, sizeof b - 1);
    const char *both[2] = {icm, ann};
    pmk_error e;
    ck_assert_int_eq(pmk_plot_trace_files(both, 2, tpath("t.png"), &e), PMK_OK);
    cairo_surface_t *img = load(tpath("t.png"), PMK_PLOT_WIDTH, PMK_PLOT_TOP + 2 * PMK_PLOT_PANEL_H);
    /* the anneal curve (colour 1) through sweep 2, energy -90 */
    const double sx[3] = {1, 2, 3}, sy[3] = {-50, -90, -112}, iy[2] = {-100, -110};
    pmk_plot_series s[2] = {{"icm", sx, iy, 2}, {"anneal", sx, sy, 3}};
    pmk_plot_panel p[2] = {{"", s, 2}, {"", s, 2}};
    double px, py;
    ck_assert_int_eq(pmk_plot_point(p, 2, 0, 2, -90, &px, &py, &e), PMK_OK);
    ck_assert_int_lt(cdist(pixel(img, (int)px, (int)py), ORANGE), 40);
    cairo_surface_destroy(img);
    /* an empty trace (mincut's) and a missing column, each named */
    static const char hdr[] = "sweep,changed,energy\n";
    test_write_file(mc, hdr, sizeof hdr - 1);
    const char *with_mc[2] = {icm, mc};
    char want[600];
    ck_assert_int_eq(pmk_plot_trace_files(with_mc, 2, tpath("x.png"), &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s: no sweeps (a mincut trace has none)", mc);
    ck_assert_str_eq(e.msg, want);
    static const char noe[] = "sweep,changed\n1,2\n";
    test_write_file(mc, noe, sizeof noe - 1);
    ck_assert_int_eq(pmk_plot_trace_files(with_mc, 2, tpath("x.png"), &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s:1: no column 'energy'", mc);
    ck_assert_str_eq(e.msg, want);
    /* results in memory: mincut (no sweeps) becomes a reference level */
    pmk_ising_sweep sw[2] = {{.sweep = 1, .changed = 10, .energy = -100, .errors = 1},
                              {.sweep = 2, .energy = -110, .errors = 1}};
    pmk_ising_result r1 = {.width = 4, .height = 5, .sweeps = 2, .energy = -110, .trace = sw,
                           .ntrace = 2, .errors = 1};
    pmk_ising_result r2 = {.width = 4, .height = 5, .energy = -115};
    const pmk_ising_result *runs[2] = {&r1, &r2};
    const char *names[2] = {"icm", "mincut"};
    ck_assert_int_eq(pmk_plot_ising_traces(runs, names, 2, 0, tpath("r.png"), &e), PMK_OK);
    img = load(tpath("r.png"), PMK_PLOT_WIDTH, PMK_PLOT_TOP + PMK_PLOT_PANEL_H);
    const double lv = -115;
    pmk_plot_series s2[2] = {{"icm", sx, iy, 2}, {"mincut", &lv, &lv, 1}};
    pmk_plot_panel p2 = {"", s2, 2};
    ck_assert_int_eq(pmk_plot_point(&p2, 1, 0, 1, -115, &px, &py, &e), PMK_OK);
    ck_assert_int_lt(cdist(pixel(img, PMK_PLOT_LEFT + 3, (int)py), ORANGE), 40);
    cairo_surface_destroy(img);
}
END_TEST

START_TEST(test_montage_zoom)
{
    /* 6 tiles of 5 x 4 in 4 columns: zoom 3 is zoom 1 with each pixel a
     * 3 x 3 block, tile by tile (captions and title lie outside the tiles) */
    gsl_matrix *t = gsl_matrix_alloc(6, 20);
    for (size_t i = 0; i < 6; i++)
        for (size_t j = 0; j < 20; j++)
            gsl_matrix_set(t, i, j, sin(1.0 + (double)(7 * i + 3 * j)));
    static const char *const caps[6] = {"a", "b", "c", "d", "e", "f"};
    pmk_plot_montage_options o;
    pmk_plot_montage_options_init_default(&o);
    o.ncols = 4;
    o.title = "six tiles";
    o.captions = caps;
    o.colorbar = 1;
    pmk_plot_montage_layout l1, l3;
    pmk_error e;
    o.zoom = 1;
    ck_assert_int_eq(pmk_plot_montage_layout_get(6, 5, 4, &o, &l1, &e), PMK_OK);
    ck_assert_int_eq(pmk_plot_montage(t, 5, 4, &o, tpath("z1.png"), &e), PMK_OK);
    o.zoom = 3;
    ck_assert_int_eq(pmk_plot_montage_layout_get(6, 5, 4, &o, &l3, &e), PMK_OK);
    /* by hand: gap 4 + 3; cells 4*3+7 = 19 by 5*3+7+15 = 37; border 8, title
     * 28; width 8 + 4*19 - 7 + 8 + (8 + 14 + 72) = 179, raised to 240 for the
     * title; height 36 + 2*37 - 7 + 8 = 111 */
    ck_assert_uint_eq(l3.cell_w, 19);
    ck_assert_uint_eq(l3.cell_h, 37);
    ck_assert_uint_eq(l3.x0, 8);
    ck_assert_uint_eq(l3.y0, 36);
    ck_assert_uint_eq(l3.width, 240);
    ck_assert_uint_eq(l3.height, 111);
    ck_assert_int_eq(pmk_plot_montage(t, 5, 4, &o, tpath("z3.png"), &e), PMK_OK);
    cairo_surface_t *a = load(tpath("z1.png"), (int)l1.width, (int)l1.height);
    cairo_surface_t *b = load(tpath("z3.png"), (int)l3.width, (int)l3.height);
    pmk_image *grid = NULL;   /* pmk_montage's grey levels, 1:1 */
    ck_assert_int_eq(pmk_montage(t, 5, 4, 4, PMK_MONTAGE_GLOBAL, 0, 0, &grid, &e), PMK_OK);
    for (size_t k = 0; k < 6; k++)
        for (size_t i = 0; i < 15; i++)
            for (size_t j = 0; j < 12; j++) {
                size_t x1 = l1.x0 + (k % 4) * l1.cell_w + j / 3, y1 = l1.y0 + (k / 4) * l1.cell_h + i / 3;
                size_t x3 = l3.x0 + (k % 4) * l3.cell_w + j, y3 = l3.y0 + (k / 4) * l3.cell_h + i;
                unsigned g = (unsigned)gsl_matrix_get(grid->pix, (k / 4) * 6 + i / 3, (k % 4) * 5 + j / 3);
                ck_assert_uint_eq(pixel(b, (int)x3, (int)y3), pixel(a, (int)x1, (int)y1));
                ck_assert_uint_eq(pixel(a, (int)x1, (int)y1), g << 16 | g << 8 | g);
            }
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    pmk_image_free(grid);
    o.zoom = 0;
    ck_assert_int_eq(pmk_plot_montage(t, 5, 4, &o, tpath("z0.png"), &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "zoom 0 is not in 1..64");
    gsl_matrix_free(t);
}
END_TEST

START_TEST(test_heatmap)
{
    /* 2 x 3 cells of 40 pixels from (80, 60): 80 + 120 + 20 by 60 + 80 + 20 */
    const double v[6] = {9, 0, 1, 2, 3, 0};
    static const char *const rn[2] = {"r1", "r2"};
    pmk_error e;
    ck_assert_int_eq(pmk_plot_heatmap(tpath("h.png"), "h", "x", "y", v, 2, 3, rn, NULL, &e), PMK_OK);
    cairo_surface_t *img = load(tpath("h.png"), 220, 160);
    /* cell corners (away from the numbers): the largest dark blue, 0 white */
    ck_assert_int_lt(cdist(pixel(img, 83, 63), 0x144c8cu), 3);   /* (1-.92, 1-.70, 1-.45) */
    ck_assert_uint_eq(pixel(img, 123, 63), 0xffffffu);
    cairo_surface_destroy(img);
    double bad = NAN;
    ck_assert_int_eq(pmk_plot_heatmap(tpath("x.png"), NULL, NULL, NULL, &bad, 1, 1, NULL, NULL, &e),
                     PMK_EINVAL);
    ck_assert_str_eq(e.msg, "heat map: cell 1 is not finite");
}
END_TEST

START_TEST(test_models)
{
    /* a 2-class model of 2 x 2 images, its means, sigma and confusion */
    gsl_matrix *X = gsl_matrix_alloc(4, 4);
    const double xv[16] = {0, 0, 1, 1, 0, .2, 1, .8, 1, 1, 0, 0, .9, 1, 0, .1};
    memcpy(X->data, xv, sizeof xv);
    const long y[4] = {3, 3, 7, 7};
    pmk_error e;
    pmk_gnb *m = pmk_gnb_fit(X, y, NULL, &e);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(pmk_plot_gnb_model(m, 0, 0, 4, tpath("g.png"), &e), PMK_OK);
    pmk_plot_montage_options o;
    pmk_plot_montage_layout lm, ls;
    pmk_plot_montage_options_init_default(&o);
    o.ncols = 2;
    o.colorbar = 1;
    o.title = "t";
    static const char *const caps2[2] = {"3", "7"};   /* a caption strip */
    o.captions = caps2;
    ck_assert_int_eq(pmk_plot_montage_layout_get(1, 2, 2, &o, &ls, &e), PMK_OK);
    ck_assert_int_eq(pmk_plot_montage_layout_get(2, 2, 2, &o, &lm, &e), PMK_OK);
    cairo_surface_destroy(load(tpath("g.png"), 240, (int)(lm.height + ls.height)));
    pmk_gnb_eval *ev = pmk_gnb_eval_alloc(m, &e);
    ck_assert_int_eq(pmk_gnb_eval_add(ev, m, X, y, &e), PMK_OK);
    ck_assert_int_eq(pmk_plot_confusion(ev, m, tpath("cm.png"), &e), PMK_OK);
    cairo_surface_destroy(load(tpath("cm.png"), 80 + 80 + 20, 60 + 80 + 20));
    pmk_gnb_eval_free(ev);
    pmk_gnb_free(m);
    gsl_matrix_free(X);
    /* RBM filters: 3 of 4 hidden units of a 9-pixel model, 3 x 3 tiles */
    pmk_rbm *r = check_rbm_random_model(9, 4, 1.0, 5);
    ck_assert_int_eq(pmk_plot_rbm_filters(r, 3, 3, 2, tpath("f.png"), &e), PMK_OK);
    pmk_rbm_free(r);
}
END_TEST

START_TEST(test_worst)
{
    /* the 3 worst of the MNIST sample's test rows under a model fitted on them */
    const char *data = test_srcpath("data/mnist-test.csv.gz");
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.header = PMK_CSV_HEADER_NO;
    pmk_error e;
    pmk_gnb_fitter *f = pmk_gnb_fitter_open(data, &o, NULL, 0, &e);
    ck_assert_ptr_nonnull(f);
    pmk_gnb *m = NULL;
    ck_assert_int_eq(pmk_gnb_fitter_run(f, &m, NULL, &e), PMK_OK);
    pmk_gnb_fitter_free(f);
    ck_assert_int_eq(pmk_plot_gnb_worst(m, "m", data, &o, 3, 2, tpath("w.png"), &e), PMK_OK);
    pmk_plot_montage_options po;
    pmk_plot_montage_layout l;
    pmk_plot_montage_options_init_default(&po);
    static const char *const two[3] = {"true\npredicted", "", ""};   /* two caption lines */
    po.zoom = 2;
    po.title = "t";
    po.captions = two;
    ck_assert_int_eq(pmk_plot_montage_layout_get(3, 28, 28, &po, &l, &e), PMK_OK);
    cairo_surface_destroy(load(tpath("w.png"), (int)l.width, (int)l.height));
    ck_assert_int_eq(pmk_plot_gnb_worst(m, "m", data, &o, 0, 2, tpath("x.png"), &e), PMK_EINVAL);
    pmk_gnb_free(m);
}
END_TEST

Suite *suite_plot(void)
{
    Suite *s = suite_create("plot");
    TCase *tc = tcase_create("plot");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_lines_pixels);
    tcase_add_test(tc, test_whole_ticks);
    tcase_add_test(tc, test_rbm_log);
    tcase_add_test(tc, test_traces);
    tcase_add_test(tc, test_montage_zoom);
    tcase_add_test(tc, test_heatmap);
    tcase_add_test(tc, test_models);
    tcase_add_test(tc, test_worst);
    suite_add_tcase(s, tc);
    return s;
}
