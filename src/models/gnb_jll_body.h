/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_jll_body.h: the kernel of gnb_jll.c, included once per vector level
 * with VD(name) naming the level's function, VD_ATTR its target attribute
 * and VW its width in doubles (4 plain C / SSE2 pairs, 4 AVX2, 8 AVX-512).
 * Lanes are classes; rows go four at a time (then one at a time) so that
 * four independent sums hide the latency of the add. */

typedef double VD(vd) __attribute__((vector_size(8 * VW)));

/* Rows [0, B) of X against the Kp / VW vectors of class lanes (see
 * gnb_jll_internal.h).  Loads and stores by memcpy: Wt, A and Q rows are
 * only 8-byte aligned. */
VD_ATTR static void VD(jll_rows)(const double *X, size_t B, size_t D, const double *Wt,
                                 const double *Pt, size_t Kp, double *A, double *Q)
{
    typedef VD(vd) vd;
    for (size_t v = 0; v < Kp; v += VW) {
        size_t i = 0;
        for (; i + 4 <= B; i += 4) {
            const double *x0 = X + i * D, *x1 = x0 + D, *x2 = x1 + D, *x3 = x2 + D;
            vd a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
            vd q0 = {0}, q1 = {0}, q2 = {0}, q3 = {0};
            for (size_t d = 0; d < D; d++) {
                vd w, p;
                memcpy(&w, Wt + d * Kp + v, sizeof w);
                vd b0 = (vd){0} + x0[d], b1 = (vd){0} + x1[d];
                vd b2 = (vd){0} + x2[d], b3 = (vd){0} + x3[d];
                a0 = a0 + b0 * w;
                a1 = a1 + b1 * w;
                a2 = a2 + b2 * w;
                a3 = a3 + b3 * w;
                if (Pt) {
                    memcpy(&p, Pt + d * Kp + v, sizeof p);
                    q0 = q0 + (b0 * b0) * p;
                    q1 = q1 + (b1 * b1) * p;
                    q2 = q2 + (b2 * b2) * p;
                    q3 = q3 + (b3 * b3) * p;
                }
            }
            memcpy(A + i * Kp + v, &a0, sizeof a0);
            memcpy(A + (i + 1) * Kp + v, &a1, sizeof a1);
            memcpy(A + (i + 2) * Kp + v, &a2, sizeof a2);
            memcpy(A + (i + 3) * Kp + v, &a3, sizeof a3);
            if (Pt) {
                memcpy(Q + i * Kp + v, &q0, sizeof q0);
                memcpy(Q + (i + 1) * Kp + v, &q1, sizeof q1);
                memcpy(Q + (i + 2) * Kp + v, &q2, sizeof q2);
                memcpy(Q + (i + 3) * Kp + v, &q3, sizeof q3);
            }
        }
        for (; i < B; i++) {
            const double *x0 = X + i * D;
            vd a0 = {0}, q0 = {0};
            for (size_t d = 0; d < D; d++) {
                vd w, p;
                memcpy(&w, Wt + d * Kp + v, sizeof w);
                vd b0 = (vd){0} + x0[d];
                a0 = a0 + b0 * w;
                if (Pt) {
                    memcpy(&p, Pt + d * Kp + v, sizeof p);
                    q0 = q0 + (b0 * b0) * p;
                }
            }
            memcpy(A + i * Kp + v, &a0, sizeof a0);
            if (Pt)
                memcpy(Q + i * Kp + v, &q0, sizeof q0);
        }
    }
}
