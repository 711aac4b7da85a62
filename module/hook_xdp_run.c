// SPDX-License-Identifier: GPL-2.0
/*
 * Every XDP program run starts a new packet: the probe at its start makes
 * the buffer a driver just filled lose the area bit an earlier packet left
 * in its flags, so that every driver may carry areas in native mode
 * (area.c says which buffers need it).
 *
 * bpf_prog_run_xdp() (include/linux/filter.h, 6.1 and 6.12) is the only
 * caller of the XDP BPF dispatcher, bpf_dispatcher_xdp_func(ctx = the
 * xdp_buff, insnsi, bpf_func) (DEFINE_BPF_DISPATCHER(xdp) in
 * net/core/filter.c): native drivers, generic XDP, cpumap and devmap
 * programs and BPF_PROG_TEST_RUN all run their programs through it. It is
 * traced at entry. The dispatcher itself is not patched at that entry: on
 * Debian's 6.1 (6.1.192, which has upstream's conversion backported), 6.12
 * and 7.x, bpf_dispatcher_update() (kernel/bpf/dispatcher.c) retargets
 * the static call inside the function's body (__BPF_DISPATCHER_UPDATE()
 * is __static_call_update(), include/linux/bpf.h); only kernels before
 * that conversion poked the function's ftrace location with
 * bpf_arch_text_poke(), where it and the function tracer collided.
 *
 * The buffer is also named to skb_area.c, as virtio-net's hook names its
 * own: a driver that builds the skb of an XDP_PASS over the same buffer
 * (build_skb() on data_hard_start, as ice and i40e do) gives the area to
 * the device's next skb.
 *
 * Module parameter xdp_run=0 leaves the probe off (as hooks=0 does for every
 * hook): then only the drivers area.c lists as resetting their buffers per
 * packet are accepted. xdp_reset=0 keeps the probe but stops the reset, for
 * the tests that show what it prevents (stale areas on ring drivers); it
 * is never right on a real host.
 */
#include <linux/moduleparam.h>
#include <net/xdp.h>
#include "area.h"
#include "compat.h"
#include "hooks.h"
#include "skb_area.h"

static bool xdp_run = true;
module_param(xdp_run, bool, 0444);
MODULE_PARM_DESC(xdp_run,
		 "Attach the probe at each XDP program run that lets every driver carry fields (default on; off: only drivers read to reset their buffers per packet)");

static bool xdp_reset = true;
module_param(xdp_reset, bool, 0644);
MODULE_PARM_DESC(xdp_reset,
		 "Reset the area bit of driver buffers at each XDP program run (default on; off only to test what it prevents)");

static void notrace pktmeta_xdp_run(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *op,
				    struct ftrace_regs *fregs)
{
	struct xdp_buff *xdp = (struct xdp_buff *)pktmeta_ftrace_arg(fregs, 0);

	switch (pktmeta_xdp_buff_origin(xdp)) {
	case PKTMETA_XDP_DRIVER_RING:
		pktmeta_skb_driver_packet(xdp, 0);
		if (READ_ONCE(xdp_reset))
			xdp->flags &= ~PKTMETA_XDP_FLAG_AREA;
		break;
	case PKTMETA_XDP_LIVE_FRAME:
		if (READ_ONCE(xdp_reset)) {
			xdp->flags &= ~PKTMETA_XDP_FLAG_AREA;
			pktmeta_xdp_live_frame_clear(xdp);
		}
		break;
	default:
		return;
	}
	pktmeta_hook_hit(PKTMETA_HOOK_XDP_RUN);
}

/**
 * pktmeta_xdp_run_attached() - does every XDP program run start a packet?
 *
 * Return: true while the probe is attached: then every driver's buffers
 * may carry areas (area.c).
 */
bool pktmeta_xdp_run_attached(void)
{
	return READ_ONCE(pktmeta_hook_xdp_run.state) == PKTMETA_HOOK_ATTACHED;
}

struct pktmeta_hook pktmeta_hook_xdp_run = {
	.name = "xdp_run",
	.enable = &xdp_run,
	.probes = {
		{ .func = "bpf_dispatcher_xdp_func", .handler = pktmeta_xdp_run,
		  .args_only = true, .leaf = true,
		  .args = { { 1, "bpf_insn" } } },
	},
};
