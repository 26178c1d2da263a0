;; The hot loop of restic's Rabin-fingerprint chunker (see chunker.ts), in WebAssembly: the 53-bit digest
;; fits one i64 where JavaScript needs two int32 halves. Compiled by scripts/build-wasm.mjs into
;; chunker-wasm.ts (a test checks that the embedded bytes still match this source).
;;
;; Memory layout:
;;   [0, 2048)      out table: 256 x i64, what leaves the digest when byte b slides out of the window
;;   [2048, 4096)   mod table: 256 x i64, the reduction of byte b shifted above degree 53
;;   [4096, 4160)   the 64-byte window (a ring)
;;   [4160, 4168)   digest (i64)
;;   [4168, 4172)   window position (i32)
;;   [8192, …)      bytes to scan (the caller copies them in, at most 1 MiB at a time)
(module
  (memory (export "memory") 18)

  ;; Slides `len` bytes at `ptr` through the window and returns the index just after the first byte
  ;; at index >= `minIdx` where the digest's low 20 bits are all zero (a cut), or -1 when there is none.
  ;; The digest, window and position are read from and written back to memory.
  (func (export "scan") (param $ptr i32) (param $len i32) (param $minIdx i32) (result i32)
    (local $i i32) (local $b i32) (local $wpos i32) (local $d i64) (local $result i32)
    (local.set $d (i64.load (i32.const 4160)))
    (local.set $wpos (i32.load (i32.const 4168)))
    (local.set $result (i32.const -1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $b (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        ;; the byte leaving the window takes its contribution out of the digest
        (local.set $d (i64.xor (local.get $d)
          (i64.load (i32.shl (i32.load8_u offset=4096 (local.get $wpos)) (i32.const 3)))))
        (i32.store8 offset=4096 (local.get $wpos) (local.get $b))
        (local.set $wpos (i32.and (i32.add (local.get $wpos) (i32.const 1)) (i32.const 63)))
        ;; digest = ((digest << 8) | b) mod pol, with the 8 bits above degree 53 reduced by the table
        (local.set $d (i64.xor
          (i64.or
            (i64.and (i64.shl (local.get $d) (i64.const 8)) (i64.const 0x1fffffffffffff))
            (i64.extend_i32_u (local.get $b)))
          (i64.load offset=2048
            (i32.shl (i32.wrap_i64 (i64.shr_u (local.get $d) (i64.const 45))) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.and
              (i64.eqz (i64.and (local.get $d) (i64.const 0xfffff)))
              (i32.ge_s (i32.sub (local.get $i) (i32.const 1)) (local.get $minIdx)))
          (then
            (local.set $result (local.get $i))
            (br $done)))
        (br $next)))
    (i64.store (i32.const 4160) (local.get $d))
    (i32.store (i32.const 4168) (local.get $wpos))
    (local.get $result))
)
