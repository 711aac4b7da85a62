// SPDX-License-Identifier: GPL-2.0
/*
 * Does cmpxchg16b leave the flags other than ZF alone, as the CPU manual
 * says it does? On hardware it does; under QEMU 7.2's TCG it does not
 * (see tests/vm/run.sh, VM_CPU). Exit 0: right, or no cmpxchg16b on this
 * CPU; 1: wrong flags.
 *
 *   gcc -static -O1 -o build/tcg-cmpxchg16b tests/vm/tcg-cmpxchg16b.c
 *   qemu-x86_64 -cpu max build/tcg-cmpxchg16b       (package qemu-user)
 *   tests/vm/tcg-cmpxchg16b.sh [KVER]                (in a guest)
 */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	static uint64_t mem[2] __attribute__((aligned(16))) = { 5, 6 };
	uint64_t rax = 5, rdx = 6, one = 1, flags;
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_CMPXCHG16B)) {
		puts("no cmpxchg16b on this CPU");
		return 0;
	}
	/*
	 * pushfq makes the emulator store its flags state; cmp then sets
	 * CF=1 and SF=1 (1 - 2), and cmpxchg16b, whose comparison succeeds,
	 * must set ZF and keep them.
	 */
	asm volatile("pushfq\n\t"
		     "popq %[flags]\n\t"
		     "xorl %%r8d, %%r8d\n\t"
		     "cmpq $2, %[one]\n\t"
		     "lock cmpxchg16b %[mem]\n\t"
		     "pushfq\n\t"
		     "popq %[flags]\n\t"
		     : [flags] "=&r"(flags), [mem] "+m"(mem), "+a"(rax), "+d"(rdx)
		     : [one] "r"(one), "b"(7UL), "c"(8UL)
		     : "r8", "cc");
	printf("flags after cmpxchg16b: %#llx: CF=%d ZF=%d SF=%d (want 1 1 1)\n",
	       (unsigned long long)flags, !!(flags & 0x1), !!(flags & 0x40),
	       !!(flags & 0x80));
	return (flags & 0xc1) == 0xc1 ? 0 : 1;
}
