/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "tap.h"
#include "lib/sha256.h"
#include "lib/sha256-beside.h"
#include <stdlib.h>

static void
vectors (const char *how)
{
  char hex[65];
  pt_sha256_hex ("", 0, hex);
  is_str (hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "%s: empty input", how);
  pt_sha256_hex ("abc", 3, hex);
  is_str (hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "%s: abc", how);
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  pt_sha256_hex (two, strlen (two), hex);
  is_str (hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "%s: two blocks", how);
  /* A million 'a's fed in odd-sized pieces exercises the buffering. */
  struct pt_sha256 s;
  char chunk[997];
  memset (chunk, 'a', sizeof chunk);
  pt_sha256_init (&s);
  size_t left = 1000000;
  while (left)
    {
      size_t n = left < sizeof chunk ? left : sizeof chunk;
      pt_sha256_update (&s, chunk, n);
      left -= n;
    }
  pt_sha256_final_hex (&s, hex);
  is_str (hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "%s: a million a", how);
}

/* On a thread beside: two buffers in turn, each rewritten as soon as the
   next feed returns, and the digest is still the one of the whole. */
static void
beside (void)
{
  static char buf[2][4099];
  struct pt_sha256 whole;
  pt_sha256_init (&whole);
  struct pt_sha256_beside *h = pt_sha256_beside_new ();
  unsigned seed = 7;
  for (int i = 0; i < 3000; i++)
    {
      char *b = buf[i & 1];
      size_t n = (size_t)(rand_r (&seed) % sizeof buf[0]);
      for (size_t k = 0; k < n; k++)
        b[k] = (char)rand_r (&seed);
      pt_sha256_update (&whole, b, n);
      pt_sha256_beside_feed (h, b, n);
    }
  char want[65], got[65];
  pt_sha256_final_hex (&whole, want);
  pt_sha256_beside_final_hex (h, got);
  is_str (got, want, "beside: the digest of the whole stream");
  h = pt_sha256_beside_new ();
  pt_sha256_beside_final_hex (h, got);
  is_str (got, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "beside: empty");
}

int
main (void)
{
  plan (10);
  beside ();
  pt_sha256_accelerated (false);
  vectors ("portable");
  if (pt_sha256_accelerated (true))
    vectors ("SHA extensions");
  else
    for (int i = 0; i < 4; i++)
      printf ("ok %d # SKIP this CPU has no SHA extensions\n", ++tap_n);
  return done_testing ();
}
