/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 (FIPS 180-4): image ids and layer digests. */
#include <config.h>
#include "sha256.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
compress (uint32_t h[8], const unsigned char *p)
{
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8
           | p[4 * i + 3];
  for (int i = 16; i < 64; i++)
    {
      uint32_t s0 = ROR (w[i - 15], 7) ^ ROR (w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = ROR (w[i - 2], 17) ^ ROR (w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; i++)
    {
      uint32_t t1
          = k + (ROR (e, 6) ^ ROR (e, 11) ^ ROR (e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
      uint32_t t2 = (ROR (a, 2) ^ ROR (a, 13) ^ ROR (a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      k = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += k;
}

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

/* The SHA extensions (Goldmont, Zen, Ice Lake and later) do a block in a
   few dozen cycles: four to five times the portable code, which matters
   when a 200 MB layer is hashed on every load. */
__attribute__ ((target ("sha,sse4.1,ssse3"))) static void
compress_shani (uint32_t h[8], const unsigned char *p, size_t blocks)
{
  const __m128i mask = _mm_set_epi64x (0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp = _mm_shuffle_epi32 (_mm_loadu_si128 ((const __m128i *)&h[0]), 0xB1);
  __m128i state1 = _mm_shuffle_epi32 (_mm_loadu_si128 ((const __m128i *)&h[4]), 0x1B);
  __m128i state0 = _mm_alignr_epi8 (tmp, state1, 8); /* ABEF */
  state1 = _mm_blend_epi16 (state1, tmp, 0xF0);      /* CDGH */
  for (; blocks > 0; blocks--, p += 64)
    {
      __m128i abef = state0, cdgh = state1, x[4];
      for (int i = 0; i < 16; i++)
        {
          __m128i w;
          if (i < 4)
            w = x[i] = _mm_shuffle_epi8 (_mm_loadu_si128 ((const __m128i *)(p + 16 * i)), mask);
          else
            {
              /* x[i&3] holds W[4i-16..], x[(i+1)&3] W[4i-12..], x[(i+2)&3] W[4i-8..],
                 x[(i+3)&3] W[4i-4..]. */
              __m128i t = _mm_sha256msg1_epu32 (x[i & 3], x[(i + 1) & 3]);
              t = _mm_add_epi32 (t, _mm_alignr_epi8 (x[(i + 3) & 3], x[(i + 2) & 3], 4));
              w = x[i & 3] = _mm_sha256msg2_epu32 (t, x[(i + 3) & 3]);
            }
          __m128i m = _mm_add_epi32 (w, _mm_loadu_si128 ((const __m128i *)&K[4 * i]));
          state1 = _mm_sha256rnds2_epu32 (state1, state0, m);
          state0 = _mm_sha256rnds2_epu32 (state0, state1, _mm_shuffle_epi32 (m, 0x0E));
        }
      state0 = _mm_add_epi32 (state0, abef);
      state1 = _mm_add_epi32 (state1, cdgh);
    }
  tmp = _mm_shuffle_epi32 (state0, 0x1B);       /* FEBA */
  state1 = _mm_shuffle_epi32 (state1, 0xB1);    /* DCHG */
  state0 = _mm_blend_epi16 (tmp, state1, 0xF0); /* DCBA */
  state1 = _mm_alignr_epi8 (state1, tmp, 8);    /* ABEF -> HGFE */
  _mm_storeu_si128 ((__m128i *)&h[0], state0);
  _mm_storeu_si128 ((__m128i *)&h[4], state1);
}

static bool
have_shani (void)
{
  unsigned a, b, c, d;
  if (!__get_cpuid (1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3))
    return false;
  return __get_cpuid_count (7, 0, &a, &b, &c, &d) && (b & bit_SHA);
}
#endif

/* Decided once; the answer never changes while we run. */
static int shani = -1;

bool
pt_sha256_accelerated (bool use)
{
#if defined(__x86_64__)
  shani = use && have_shani ();
#else
  (void)use;
  shani = 0;
#endif
  return shani;
}

static void
compress_blocks (uint32_t h[8], const unsigned char *p, size_t blocks)
{
#if defined(__x86_64__)
  if (shani < 0)
    shani = have_shani ();
  if (shani)
    {
      compress_shani (h, p, blocks);
      return;
    }
#endif
  for (; blocks > 0; blocks--, p += 64)
    compress (h, p);
}

void
pt_sha256_init (struct pt_sha256 *s)
{
  static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
  memcpy (s->h, iv, sizeof iv);
  s->len = 0;
  s->used = 0;
}

void
pt_sha256_update (struct pt_sha256 *s, const void *data, size_t len)
{
  const unsigned char *p = data;
  s->len += len;
  if (s->used)
    {
      size_t take = 64 - s->used < len ? 64 - s->used : len;
      memcpy (s->buf + s->used, p, take);
      s->used += take;
      p += take;
      len -= take;
      if (s->used < 64)
        return;
      compress_blocks (s->h, s->buf, 1);
      s->used = 0;
    }
  compress_blocks (s->h, p, len / 64);
  p += len - len % 64;
  len %= 64;
  memcpy (s->buf, p, len);
  s->used = len;
}

void
pt_sha256_final_hex (struct pt_sha256 *s, char hex[65])
{
  uint64_t bits = s->len * 8;
  unsigned char pad[72] = { 0x80 };
  size_t padlen = (s->used < 56 ? 56 : 120) - s->used;
  for (int i = 0; i < 8; i++)
    pad[padlen + i] = bits >> (56 - 8 * i);
  pt_sha256_update (s, pad, padlen + 8);
  for (int i = 0; i < 8; i++)
    sprintf (hex + 8 * i, "%08x", s->h[i]);
}

void
pt_sha256_hex (const void *data, size_t len, char hex[65])
{
  struct pt_sha256 s;
  pt_sha256_init (&s);
  pt_sha256_update (&s, data, len);
  pt_sha256_final_hex (&s, hex);
}
