// SPDX-License-Identifier: GPL-2.0
/*
 * What a program calls, read from its instructions while the verifier
 * checks it: does it call anything that can give its skb a new head?
 *
 * A TC program's field pointer (bpf_skb_pktmeta_ptr(), kfuncs_skb.c) points
 * into the skb's head, and the verifier does not tie it to the packet: it
 * would not forget it after a helper that reallocates the head, as it
 * forgets the packet pointers (clear_all_pkt_pointers(),
 * kernel/bpf/verifier.c). So the pointer is only for programs that call no
 * such helper; the skb kfuncs' filter asks here while the verifier checks a
 * call to it, when the program's instructions are all there (its
 * subprograms and callbacks too) and its helper calls still carry their
 * BPF_FUNC_* ids (do_misc_fixups() rewrites them after the check).
 */
#include <linux/bpf.h>
#include <linux/btf_ids.h>
#include <linux/filter.h>
#include "compat.h"
#include "prog_scan.h"

#ifdef PKTMETA_HAVE_SKB_PTR

/*
 * The helpers after which the verifier forgets packet pointers:
 * bpf_helper_changes_pkt_data() in net/core/filter.c, the same list in
 * 6.12 and 7.3, tail calls included (a subprogram's tail call returns to
 * its caller after another program ran).
 */
static const struct {
	enum bpf_func_id id;
	const char *name;
} pktmeta_head_movers[] = {
	{ BPF_FUNC_clone_redirect, "bpf_clone_redirect" },
	{ BPF_FUNC_l3_csum_replace, "bpf_l3_csum_replace" },
	{ BPF_FUNC_l4_csum_replace, "bpf_l4_csum_replace" },
	{ BPF_FUNC_lwt_push_encap, "bpf_lwt_push_encap" },
	{ BPF_FUNC_lwt_seg6_action, "bpf_lwt_seg6_action" },
	{ BPF_FUNC_lwt_seg6_adjust_srh, "bpf_lwt_seg6_adjust_srh" },
	{ BPF_FUNC_lwt_seg6_store_bytes, "bpf_lwt_seg6_store_bytes" },
	{ BPF_FUNC_msg_pop_data, "bpf_msg_pop_data" },
	{ BPF_FUNC_msg_pull_data, "bpf_msg_pull_data" },
	{ BPF_FUNC_msg_push_data, "bpf_msg_push_data" },
	{ BPF_FUNC_skb_adjust_room, "bpf_skb_adjust_room" },
	{ BPF_FUNC_skb_change_head, "bpf_skb_change_head" },
	{ BPF_FUNC_skb_change_proto, "bpf_skb_change_proto" },
	{ BPF_FUNC_skb_change_tail, "bpf_skb_change_tail" },
	{ BPF_FUNC_skb_pull_data, "bpf_skb_pull_data" },
	{ BPF_FUNC_skb_store_bytes, "bpf_skb_store_bytes" },
	{ BPF_FUNC_skb_vlan_pop, "bpf_skb_vlan_pop" },
	{ BPF_FUNC_skb_vlan_push, "bpf_skb_vlan_push" },
	{ BPF_FUNC_store_hdr_opt, "bpf_store_hdr_opt" },
	{ BPF_FUNC_xdp_adjust_head, "bpf_xdp_adjust_head" },
	{ BPF_FUNC_xdp_adjust_meta, "bpf_xdp_adjust_meta" },
	{ BPF_FUNC_xdp_adjust_tail, "bpf_xdp_adjust_tail" },
	{ BPF_FUNC_tail_call, "bpf_tail_call" },
};

/*
 * A write through an skb dynptr (bpf_dynptr_write() and the kfuncs that
 * write dynptrs) makes the skb writable first, which may give it a new
 * head (__bpf_skb_store_bytes(), net/core/filter.c): a program that makes
 * no skb dynptr writes none.
 */
BTF_ID_LIST(pktmeta_dynptr_from_skb_id)
BTF_ID(func, bpf_dynptr_from_skb)

/**
 * pktmeta_prog_head_mover() - the first call in @prog that can give an skb
 * a new head
 * @prog: a program the verifier is checking
 *
 * Context: a kfunc set's filter, called by the verifier.
 * Return: the name of the helper or kfunc called, or NULL when @prog calls
 * none.
 */
const char *pktmeta_prog_head_mover(const struct bpf_prog *prog)
{
	u32 i, j;

	for (i = 0; i < prog->len; i++) {
		const struct bpf_insn *insn = &prog->insnsi[i];

		if (insn->code != (BPF_JMP | BPF_CALL))
			continue;
		if (insn->src_reg == BPF_PSEUDO_KFUNC_CALL && !insn->off &&
		    pktmeta_dynptr_from_skb_id[0] &&
		    insn->imm == pktmeta_dynptr_from_skb_id[0])
			return "bpf_dynptr_from_skb";
		if (insn->src_reg)
			continue;
		for (j = 0; j < ARRAY_SIZE(pktmeta_head_movers); j++)
			if (insn->imm == pktmeta_head_movers[j].id)
				return pktmeta_head_movers[j].name;
	}
	return NULL;
}

#endif /* PKTMETA_HAVE_SKB_PTR */
