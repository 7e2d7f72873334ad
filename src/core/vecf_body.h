/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* vecf_body.h: the kernels of vecf.c, included once per vector level with
 * VF(name) naming the level's functions, VF_ATTR its target attribute and VW
 * its vector width in floats (4 SSE2 or plain C, 8 AVX2, 16 AVX-512).  Rows
 * go in chunks of 16 entries, 16 / VW vectors each; a row's tail is padded
 * to a chunk with zeros, so that it gets the arithmetic of every other entry.
 * Only the operations written here, no fused multiply-add (vecf.c turns
 * contraction off): every level computes the same bits, and the 16 lanes of
 * the generator and of the error sum are the same at every width. */

typedef float VF(vf) __attribute__((vector_size(4 * VW)));
typedef int32_t VF(vi) __attribute__((vector_size(4 * VW)));
typedef uint32_t VF(vu) __attribute__((vector_size(4 * VW)));
#define vf VF(vf)
#define vi VF(vi)
#define vu VF(vu)
#define NV (16 / VW)   /* vectors a chunk */
#define SPLAT(c) ((vf){0} + (c))
/* Per lane: m ? x : y, m a comparison's result (all ones or all zeros). */
#define SELECT(m, x, y) ((vf)(((vi)(x) & (m)) | ((vi)(y) & ~(m))))
#define VF_INLINE static inline __attribute__((always_inline)) VF_ATTR

/* Helpers take vectors by pointer: a 64-byte vector passed by value draws
 * GCC's note on the ABI change of GCC 4.6, which no pragma silences. */

/* *px <- e^*px: Cephes' expf (range reduction by ln 2 in two parts, a
 * degree-6 polynomial), x clamped to [-87, 88]. */
VF_INLINE void VF(exp)(vf *px)
{
    vf x = *px;
    x = SELECT(x > SPLAT(88.f), SPLAT(88.f), x);
    x = SELECT(x < SPLAT(-87.f), SPLAT(-87.f), x);
    vf fx = x * 1.44269504088896341f + 0.5f;
    vi n = __builtin_convertvector(fx, vi);
    vf tf = __builtin_convertvector(n, vf);
    n += (vi)(tf > fx);   /* truncation -> floor: true is -1 */
    tf = __builtin_convertvector(n, vf);
    x = x - tf * 0.693359375f - tf * -2.12194440e-4f;
    vf z = x * x;
    vf y = SPLAT(1.9875691500e-4f);
    y = y * x + 1.3981999507e-3f;
    y = y * x + 8.3334519073e-3f;
    y = y * x + 4.1665795894e-2f;
    y = y * x + 1.6666665459e-1f;
    y = y * x + 5.0000001201e-1f;
    y = y * z + x + 1.0f;
    vi e = (n + 127) << 23;
    *px = y * (vf)e;
}

/* VW entries of y <- sigmoid(y + c) = 1 / (1 + e^-(y + c)); returns them. */
VF_INLINE vf VF(sigmoid)(float *y, const float *c)
{
    vf x, b;
    memcpy(&x, y, sizeof x);
    memcpy(&b, c, sizeof b);
    x = -(x + b);
    VF(exp)(&x);
    x = 1.0f / (1.0f + x);
    memcpy(y, &x, sizeof x);
    return x;
}

/* The generator's state, 16 lanes as NV vectors a word. */
typedef struct VF(gen) {
    vu s[4][NV];
} VF(gen);

VF_INLINE void VF(gen_load)(VF(gen) *g, const vecf_xo16 *x)
{
    for (int w = 0; w < 4; w++)
        memcpy(g->s[w], x->s[w], sizeof g->s[w]);
}

VF_INLINE void VF(gen_store)(const VF(gen) *g, vecf_xo16 *x)
{
    for (int w = 0; w < 4; w++)
        memcpy(x->s[w], g->s[w], sizeof g->s[w]);
}

/* Part q of the next 16 uniforms on [0, 1): xoshiro128** on lanes
 * q VW .. q VW + VW - 1, the top 24 bits of each output. */
VF_INLINE vf VF(uniform)(VF(gen) *g, int q)
{
    vu s0 = g->s[0][q], s1 = g->s[1][q], s2 = g->s[2][q], s3 = g->s[3][q];
    const vu m = s1 * 5u, r = ((m << 7) | (m >> 25)) * 9u, t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >> 21);
    g->s[0][q] = s0, g->s[1][q] = s1, g->s[2][q] = s2, g->s[3][q] = s3;
    return __builtin_convertvector((vi)(r >> 8), vf) * 0x1p-24f;
}

/* VW draws: 1 where u < p, else 0. */
VF_INLINE void VF(draw)(VF(gen) *g, int q, vf p, float *s)
{
    vf b = (vf)((vi)SPLAT(1.0f) & (vi)(VF(uniform)(g, q) < p));
    memcpy(s, &b, sizeof b);
}

/* One chunk of 16 entries of each kernel. */
VF_INLINE void VF(exp_chunk)(const float *x, float *y)
{
    for (int q = 0; q < NV; q++) {
        vf v;
        memcpy(&v, x + q * VW, sizeof v);
        VF(exp)(&v);
        memcpy(y + q * VW, &v, sizeof v);
    }
}

VF_INLINE void VF(sigmoid_chunk)(float *y, const float *c)
{
    for (int q = 0; q < NV; q++)
        VF(sigmoid)(y + q * VW, c + q * VW);
}

VF_INLINE void VF(sqerr_chunk)(float *y, const float *c, const float *v, vf *acc, int w)
{
    vi lane;
    for (int l = 0; l < VW; l++)
        lane[l] = l;
    for (int q = 0; q < NV; q++) {
        vf p = VF(sigmoid)(y + q * VW, c + q * VW), x;
        memcpy(&x, v + q * VW, sizeof x);
        x = SELECT(lane + q * VW < w, x - p, SPLAT(0.0f));   /* not the tail's padding */
        acc[q] += x * x;
    }
}

VF_INLINE void VF(bernoulli_chunk)(const float *p, float *s, VF(gen) *g)
{
    for (int q = 0; q < NV; q++) {
        vf x;
        memcpy(&x, p + q * VW, sizeof x);
        VF(draw)(g, q, x, s + q * VW);
    }
}

VF_INLINE void VF(sigmoid_draw_chunk)(float *y, const float *c, float *s, VF(gen) *g)
{
    for (int q = 0; q < NV; q++)
        VF(draw)(g, q, VF(sigmoid)(y + q * VW, c + q * VW), s + q * VW);
}

/* The row kernels: whole chunks in place, the tail through zero-padded
 * copies (y, c, v, p in T[0..3], the draws in T[4]). */
#define TAIL_IN(i, src) memcpy(T[i], src + j, w * sizeof(float))
#define TAIL_OUT(i, dst) memcpy(dst + j, T[i], w * sizeof(float))

VF_ATTR static void VF(exp_row)(const float *x, float *y, size_t k)
{
    for (size_t j = 0; j < k; j += 16) {   /* for the tests: every chunk through copies */
        float in[16] = {0}, out[16];
        size_t n = k - j < 16 ? k - j : 16;
        memcpy(in, x + j, n * sizeof(float));
        VF(exp_chunk)(in, out);
        memcpy(y + j, out, n * sizeof(float));
    }
}

VF_ATTR static void VF(sigmoid_row)(float *y, const float *c, size_t k)
{
    float T[5][16];
    size_t j = 0, w = k % 16;
    for (; j + 16 <= k; j += 16)
        VF(sigmoid_chunk)(y + j, c + j);
    if (w) {
        memset(T, 0, sizeof T);
        TAIL_IN(0, y), TAIL_IN(1, c);
        VF(sigmoid_chunk)(T[0], T[1]);
        TAIL_OUT(0, y);
    }
}

VF_ATTR static float VF(sigmoid_sqerr_row)(float *y, const float *c, const float *v, size_t k)
{
    float T[5][16], a[16], sum = 0.0f;
    vf acc[NV];
    size_t j = 0, w = k % 16;
    for (int q = 0; q < NV; q++)
        acc[q] = SPLAT(0.0f);
    for (; j + 16 <= k; j += 16)
        VF(sqerr_chunk)(y + j, c + j, v + j, acc, 16);
    if (w) {
        memset(T, 0, sizeof T);
        TAIL_IN(0, y), TAIL_IN(1, c), TAIL_IN(2, v);
        VF(sqerr_chunk)(T[0], T[1], T[2], acc, (int)w);
        TAIL_OUT(0, y);
    }
    memcpy(a, acc, sizeof a);
    for (int l = 0; l < 16; l++)
        sum += a[l];
    return sum;
}

VF_ATTR static void VF(bernoulli_row)(const float *p, float *s, size_t k, vecf_xo16 *x)
{
    float T[5][16];
    size_t j = 0, w = k % 16;
    VF(gen) g;
    VF(gen_load)(&g, x);
    for (; j + 16 <= k; j += 16)
        VF(bernoulli_chunk)(p + j, s + j, &g);
    if (w) {
        memset(T, 0, sizeof T);
        TAIL_IN(3, p);
        VF(bernoulli_chunk)(T[3], T[4], &g);
        TAIL_OUT(4, s);
    }
    VF(gen_store)(&g, x);
}

VF_ATTR static void VF(sigmoid_draw_row)(float *y, const float *c, float *s, size_t k,
                                         vecf_xo16 *x)
{
    float T[5][16];
    size_t j = 0, w = k % 16;
    VF(gen) g;
    VF(gen_load)(&g, x);
    for (; j + 16 <= k; j += 16)
        VF(sigmoid_draw_chunk)(y + j, c + j, s + j, &g);
    if (w) {
        memset(T, 0, sizeof T);
        TAIL_IN(0, y), TAIL_IN(1, c);
        VF(sigmoid_draw_chunk)(T[0], T[1], T[4], &g);
        TAIL_OUT(0, y), TAIL_OUT(4, s);
    }
    VF(gen_store)(&g, x);
}

/* Elementwise kernels: any width gives the same bits, the tails are scalar. */
VF_ATTR static void VF(axpby)(float *restrict a, const float *restrict b, float ca, float cb,
                              size_t k)
{
    size_t j = 0;
    for (; j + VW <= k; j += VW) {
        vf x, y;
        memcpy(&x, a + j, sizeof x);
        memcpy(&y, b + j, sizeof y);
        x = ca * x + cb * y;
        memcpy(a + j, &x, sizeof x);
    }
    for (; j < k; j++)
        a[j] = ca * a[j] + cb * b[j];
}

VF_ATTR static void VF(col_sums)(const float *restrict Y, size_t ld, size_t n, size_t k,
                                 float *restrict out)
{
    memset(out, 0, k * sizeof *out);
    for (size_t r = 0; r < n; r++) {   /* row by row: Y is read in order */
        const float *y = Y + r * ld;
        size_t j = 0;
        for (; j + VW <= k; j += VW) {
            vf a, b;
            memcpy(&a, out + j, sizeof a);
            memcpy(&b, y + j, sizeof b);
            a += b;
            memcpy(out + j, &a, sizeof a);
        }
        for (; j < k; j++)
            out[j] += y[j];
    }
}

#undef TAIL_IN
#undef TAIL_OUT
#undef VF_INLINE
#undef SELECT
#undef SPLAT
#undef NV
#undef vf
#undef vi
#undef vu
