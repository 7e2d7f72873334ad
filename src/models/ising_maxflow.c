/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising_maxflow.c: the exact MAP of the Ising denoising model by an s-t
 * minimum cut, with a Boykov-Kolmogorov max-flow specialised to grid graphs. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/limits.h"
#include "core/core_internal.h"
#include "models/ising_internal.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif

/* ------------------------------------------------------------------ the graph
 *
 * Energy (see ising.c): E(x) = sum_i u_i(x_i) - beta sum_<ij> x_i x_j with
 * u_i(x) = (h - eta y_i) x.  Label +1 = source side S, -1 = sink side T.
 * - Pairs: -beta x_i x_j = -beta + 2 beta [x_i != x_j], so each neighbour pair
 *   gets an edge of capacity 2 beta in both directions (beta >= 0 makes the
 *   energy submodular, Kolmogorov & Zabih, PAMI 2004).
 * - Unaries: u_i(+1) - u_i(-1) = 2 (h - eta y_i).  A node on the S side pays
 *   its edge to t, one on the T side its edge from s; only the difference
 *   matters, so the terminal residual is tr_i = 2 (eta y_i - h): tr_i > 0 is
 *   an edge s -> i of capacity tr_i, tr_i < 0 an edge i -> t of capacity -tr_i.
 * Every cut then costs E(x) minus a constant, and the source set of a minimum
 * cut (the nodes of the final source tree) is a global minimiser of E.
 *
 * Max-flow (Boykov & Kolmogorov, "An experimental comparison of min-cut/
 * max-flow algorithms for energy minimization in vision", PAMI 26(9), 2004):
 * two search trees S (from s) and T (to t) grow over non-saturated edges
 * (growth); when they touch, flow is pushed along the path found and the
 * saturated edges leave orphans (augmentation); orphans look for a new parent
 * in their own tree whose root is a terminal, preferring the shortest
 * distance (timestamp / distance marks), or become free and orphan their
 * children (adoption).  The flow is maximal when no active node remains.
 *
 * Layout: the H x W grid is padded by one node on every side (HP = H + 2,
 * WP = W + 2), so every interior node has all its K = 4 or 8 neighbours in
 * memory; padding nodes have no capacity and stay free.  cap[p K + d] is the
 * residual capacity of the edge from p to p + off[d]; the reverse edge is
 * direction d ^ 1 at the neighbour.  Capacities are doubles: a bottleneck
 * edge becomes exactly 0 (a - a == 0 in IEEE arithmetic) and no residual
 * goes negative, so the search terminates as in exact arithmetic. */

enum { PAR_TERM = 8, PAR_ORPHAN = 9, PAR_FREE = 10 };

typedef struct bk_graph {
    int K;
    ptrdiff_t off[8];
    double *cap;       /* NP * K residual capacities */
    double *tr;        /* NP terminal residuals (> 0 from s, < 0 to t) */
    uint8_t *par;      /* direction to the parent, PAR_TERM, PAR_ORPHAN or PAR_FREE */
    uint8_t *sink;     /* 1: in T, 0: in S (meaningful unless free) */
    uint8_t *act;      /* 1: queued as active (or the current node) */
    uint32_t *ts;      /* timestamp of the distance mark */
    int32_t *dist;     /* distance to the terminal, valid when ts is recent */
    int32_t *aq;       /* active FIFO ring, NP entries */
    size_t aq_head, aq_n;
    int32_t *oq;       /* orphan deque ring, NP entries */
    size_t oq_head, oq_n;
    size_t np;
    uint32_t time;
} bk_graph;

static void set_active(bk_graph *g, int32_t p)
{
    if (!g->act[p]) {
        g->act[p] = 1;
        g->aq[(g->aq_head + g->aq_n++) % g->np] = p;
    }
}

static int32_t next_active(bk_graph *g)
{
    while (g->aq_n) {
        int32_t p = g->aq[g->aq_head];
        g->aq_head = (g->aq_head + 1) % g->np;
        g->aq_n--;
        g->act[p] = 0;
        if (g->par[p] != PAR_FREE)
            return p;
    }
    return -1;
}

static void orphan_front(bk_graph *g, int32_t p)
{
    g->par[p] = PAR_ORPHAN;
    g->oq_head = (g->oq_head + g->np - 1) % g->np;
    g->oq[g->oq_head] = p;
    g->oq_n++;
}

static void orphan_back(bk_graph *g, int32_t p)
{
    g->par[p] = PAR_ORPHAN;
    g->oq[(g->oq_head + g->oq_n++) % g->np] = p;
}

/* Pushes the bottleneck along s -> ... -> si -(dmid)-> ti -> ... -> t. */
static void augment(bk_graph *g, int32_t si, int dmid, int32_t ti)
{
    const int K = g->K;
    double *cap = g->cap, *tr = g->tr;
    double b = cap[(size_t)si * K + dmid];
    int32_t p;
    for (p = si; g->par[p] != PAR_TERM;) {
        int d = g->par[p];
        int32_t q = (int32_t)(p + g->off[d]);
        double c = cap[(size_t)q * K + (d ^ 1)];
        if (c < b)
            b = c;
        p = q;
    }
    if (tr[p] < b)
        b = tr[p];
    for (p = ti; g->par[p] != PAR_TERM;) {
        int d = g->par[p];
        double c = cap[(size_t)p * K + d];
        if (c < b)
            b = c;
        p = (int32_t)(p + g->off[d]);
    }
    if (-tr[p] < b)
        b = -tr[p];

    cap[(size_t)si * K + dmid] -= b;
    cap[(size_t)ti * K + (dmid ^ 1)] += b;
    for (p = si;;) {
        int d = g->par[p];
        if (d == PAR_TERM) {
            tr[p] -= b;
            if (tr[p] == 0)
                orphan_front(g, p);
            break;
        }
        int32_t q = (int32_t)(p + g->off[d]);
        cap[(size_t)p * K + d] += b;
        cap[(size_t)q * K + (d ^ 1)] -= b;
        if (cap[(size_t)q * K + (d ^ 1)] == 0)
            orphan_front(g, p);
        p = q;
    }
    for (p = ti;;) {
        int d = g->par[p];
        if (d == PAR_TERM) {
            tr[p] += b;
            if (tr[p] == 0)
                orphan_front(g, p);
            break;
        }
        int32_t q = (int32_t)(p + g->off[d]);
        cap[(size_t)p * K + d] -= b;
        cap[(size_t)q * K + (d ^ 1)] += b;
        if (cap[(size_t)p * K + d] == 0)
            orphan_front(g, p);
        p = q;
    }
}

/* The distance from j to its tree's terminal, or INT_MAX when the path meets
 * an orphan; marks the nodes on the path with the current time. */
static int origin_dist(bk_graph *g, int32_t j)
{
    int d = 0;
    int32_t k = j;
    for (;;) {
        if (g->ts[k] == g->time) {
            d += g->dist[k];
            break;
        }
        int a = g->par[k];
        d++;
        if (a == PAR_TERM) {
            g->ts[k] = g->time;
            g->dist[k] = 1;
            break;
        }
        if (a == PAR_ORPHAN)
            return INT_MAX;
        k = (int32_t)(k + g->off[a]);
    }
    int dd = d;
    for (k = j; g->ts[k] != g->time; k = (int32_t)(k + g->off[g->par[k]])) {
        g->ts[k] = g->time;
        g->dist[k] = dd--;
    }
    return d;
}

/* Adoption of orphan i of tree `sink`: a new parent j of the same tree with a
 * non-saturated edge j -> i (S) or i -> j (T) and a terminal root, closest to
 * its terminal; else i becomes free, its children orphans, and the neighbours
 * that could reach it become active. */
static void adopt(bk_graph *g, int32_t i)
{
    const int K = g->K;
    const int sk = g->sink[i];
    int dmin = INT_MAX, best = -1;
    for (int d = 0; d < K; d++) {
        int32_t j = (int32_t)(i + g->off[d]);
        double c = sk ? g->cap[(size_t)i * K + d] : g->cap[(size_t)j * K + (d ^ 1)];
        if (c > 0 && g->par[j] != PAR_FREE && g->sink[j] == sk) {
            int dj = origin_dist(g, j);
            if (dj < dmin) {
                dmin = dj;
                best = d;
            }
        }
    }
    if (best >= 0) {
        g->par[i] = (uint8_t)best;
        g->ts[i] = g->time;
        g->dist[i] = dmin + 1;
        return;
    }
    g->par[i] = PAR_FREE;
    for (int d = 0; d < K; d++) {
        int32_t j = (int32_t)(i + g->off[d]);
        int a = g->par[j];
        if (a == PAR_FREE || g->sink[j] != sk)
            continue;
        double c = sk ? g->cap[(size_t)i * K + d] : g->cap[(size_t)j * K + (d ^ 1)];
        if (c > 0)
            set_active(g, j);
        if (a < PAR_TERM && j + g->off[a] == i)
            orphan_back(g, j);
    }
}

/* Growth: free or farther node j joins the tree of its neighbour i, reached
 * from i in direction d (so i lies in direction d ^ 1 from j), one step
 * farther from the terminal than i and as fresh. */
static inline void grow_to(bk_graph *g, int32_t j, int32_t i, int d)
{
    g->par[j] = (uint8_t)(d ^ 1);
    g->ts[j] = g->ts[i];
    g->dist[j] = g->dist[i] + 1;
}

static void maxflow(bk_graph *g)
{
    const int K = g->K;
    int32_t cur = -1;
    for (;;) {
        int32_t i = -1;
        if (cur >= 0) {
            i = cur;
            g->act[i] = 0;
            if (g->par[i] == PAR_FREE)
                i = -1;
        }
        if (i < 0 && (i = next_active(g)) < 0)
            break;

        /* growth */
        int found = 0, dmid = 0;
        int32_t si = -1, ti = -1;
        if (!g->sink[i]) {
            for (int d = 0; d < K; d++) {
                if (!(g->cap[(size_t)i * K + d] > 0))
                    continue;
                int32_t j = (int32_t)(i + g->off[d]);
                if (g->par[j] == PAR_FREE) {
                    g->sink[j] = 0;
                    grow_to(g, j, i, d);
                    set_active(g, j);
                } else if (g->sink[j]) {
                    found = 1, si = i, ti = j, dmid = d;
                    break;
                } else if (g->ts[j] <= g->ts[i] && g->dist[j] > g->dist[i]) {
                    grow_to(g, j, i, d);
                }
            }
        } else {
            for (int d = 0; d < K; d++) {
                int32_t j = (int32_t)(i + g->off[d]);
                if (!(g->cap[(size_t)j * K + (d ^ 1)] > 0))
                    continue;
                if (g->par[j] == PAR_FREE) {
                    g->sink[j] = 1;
                    grow_to(g, j, i, d);
                    set_active(g, j);
                } else if (!g->sink[j]) {
                    found = 1, si = j, ti = i, dmid = d ^ 1;
                    break;
                } else if (g->ts[j] <= g->ts[i] && g->dist[j] > g->dist[i]) {
                    grow_to(g, j, i, d);
                }
            }
        }
        g->time++;
        if (!found) {
            cur = -1;
            continue;
        }
        g->act[i] = 1;   /* stays current: more paths may leave from it */
        cur = i;
        augment(g, si, dmid, ti);
        while (g->oq_n) {
            int32_t o = g->oq[g->oq_head];
            g->oq_head = (g->oq_head + 1) % g->np;
            g->oq_n--;
            adopt(g, o);
        }
    }
}

/* ------------------------------------------------------------------ the grid cut API
 *
 * What the Ising min cut and the Potts alpha-expansion (potts_expand.c)
 * share: a W x H grid graph with K = 4 or 8 arcs a node, terminal residuals
 * and arc capacities set by the caller, one max-flow, the source set read
 * back.  ising_cut_dr / _dc give direction d's step; d ^ 1 is its reverse. */


struct ising_cut {
    bk_graph g;
    size_t W, H, WP;
    unsigned char *block;
    size_t zero_bytes;   /* the prefix of block reset to zero by ising_cut_reset */
};

int ising_cut_alloc(size_t W, size_t H, int K, ising_cut **out, pmk_error *err)
{
    size_t WP = W + 2, HP = H + 2, np;
    *out = NULL;
    if (pmk_size_mul(WP, HP, &np) != PMK_OK || np > (size_t)INT32_MAX / 8)
        return pmk_error_set(err, PMK_ELIMIT, "the image is too large for mincut (%zux%zu)", W,
                             H);
    /* Per padded pixel: K capacities and the terminal residual (doubles),
     * three flag bytes, the timestamp, distance and two queue entries. */
    int rc = pmk_mem_check(NULL, 0, 0, (unsigned long long)np * (8ULL * (unsigned)K + 27),
                           "the min-cut graph", err);
    if (rc)
        return rc;
    ising_cut *c = calloc(1, sizeof *c);
    if (!c)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for the mincut graph");
    bk_graph *g = &c->g;
    g->K = K;
    g->np = np;
    for (int d = 0; d < K; d++)
        g->off[d] = (ptrdiff_t)ising_cut_dr[d] * (ptrdiff_t)WP + ising_cut_dc[d];
    /* One block for every array, in huge pages: at 512 x 512 it is 15 MiB,
     * 3,700 page faults of 4 KiB that would cost more than the max-flow. */
    size_t sz_cap = np * (size_t)K * sizeof *g->cap, sz_tr = np * sizeof *g->tr;
    size_t sz_i32 = (np * 4 + 7) & ~(size_t)7, sz_u8 = (np + 7) & ~(size_t)7;
    size_t total = sz_cap + sz_tr + 4 * sz_i32 + 3 * sz_u8;
    unsigned char *at = c->block = core_alloc_huge(total);
    if (!at) {
        free(c);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for the mincut graph (%zux%zu)",
                             W, H);
    }
    g->cap = (double *)at, at += sz_cap;
    g->tr = (double *)at, at += sz_tr;
    g->ts = (uint32_t *)at, at += sz_i32;
    g->dist = (int32_t *)at, at += sz_i32;
    g->par = at, at += sz_u8;
    g->sink = at, at += sz_u8;
    g->act = at, at += sz_u8;
    g->aq = (int32_t *)at, at += sz_i32;
    g->oq = (int32_t *)at;
    /* The capacities, residuals, flags, times and distances; the queues need
     * no initial value. */
    c->zero_bytes = total - 2 * sz_i32;
    c->W = W, c->H = H, c->WP = WP;
    ising_cut_reset(c);
    *out = c;
    return PMK_OK;
}

void ising_cut_reset(ising_cut *c)
{
    bk_graph *g = &c->g;
    memset(c->block, 0, c->zero_bytes);
    memset(g->par, PAR_FREE, g->np);
    g->aq_head = g->aq_n = g->oq_head = g->oq_n = 0;
    g->time = 0;
}

void ising_cut_free(ising_cut *c)
{
    if (c) {
        free(c->block);
        free(c);
    }
}

double *ising_cut_caps(ising_cut *c, size_t r, size_t col)
{
    return c->g.cap + ((r + 1) * c->WP + col + 1) * (size_t)c->g.K;
}

void ising_cut_terminal(ising_cut *c, size_t r, size_t col, double t)
{
    bk_graph *g = &c->g;
    int32_t v = (int32_t)((r + 1) * c->WP + col + 1);
    g->tr[v] = t;
    if (t != 0) {
        g->sink[v] = t < 0;
        g->par[v] = PAR_TERM;
        g->dist[v] = 1;
        set_active(g, v);
    }
}

void ising_cut_solve(ising_cut *c)
{
    maxflow(&c->g);
}

int ising_cut_source(const ising_cut *c, size_t r, size_t col)
{
    size_t v = (r + 1) * c->WP + col + 1;
    return c->g.par[v] != PAR_FREE && !c->g.sink[v];
}

int pmk_ising_mincut(const pmk_ising_params *p, size_t W, size_t H, const int8_t *y, int8_t *x,
                     pmk_error *err)
{
    if (p->beta == 0) {
        /* No pairs: each pixel alone, a tie keeping y (as ICM does). */
        for (size_t i = 0; i < W * H; i++) {
            double f = -p->h + p->eta * y[i];
            x[i] = f > 0 ? 1 : f < 0 ? -1 : y[i];
        }
        return PMK_OK;
    }
    const int K = p->neighbours;
    ising_cut *g;
    int rc = ising_cut_alloc(W, H, K, &g, err);
    if (rc)
        return rc;
    double pc = 2 * p->beta;
    for (size_t r = 0; r < H; r++)
        for (size_t c = 0; c < W; c++) {
            double *cap = ising_cut_caps(g, r, c);
            for (int d = 0; d < K; d++) {
                long rr = (long)r + ising_cut_dr[d], cc = (long)c + ising_cut_dc[d];
                if (rr >= 0 && rr < (long)H && cc >= 0 && cc < (long)W)
                    cap[d] = pc;
            }
            ising_cut_terminal(g, r, c, 2 * (p->eta * y[r * W + c] - p->h));
        }
    ising_cut_solve(g);
    for (size_t r = 0; r < H; r++)
        for (size_t c = 0; c < W; c++)
            x[r * W + c] = ising_cut_source(g, r, c) ? 1 : -1;
    ising_cut_free(g);
    return PMK_OK;
}
