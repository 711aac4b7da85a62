// SPDX-License-Identifier: GPL-2.0
/*
 * AF_XDP example, the XDP side (its loader and consumer: afxdp_reader.c).
 *
 * For each UDP datagram to `port` whose payload starts { magic, seq, ... }
 * (the test packets of tests/guest/helpers.bash, send_udp), sets two
 * fields from the sequence number, exports the packet's fields into its
 * data_meta with bpf_xdp_pktmeta_export() and redirects it into the AF_XDP
 * socket of its rx queue. The consumer reads the fields from the umem frame
 * and checks them against the payload. Other packets go on to the stack.
 *
 * With every_other set, odd sequence numbers get no field: their block is
 * empty, and a consumer that sees a field there is reading another packet's.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

#define AFXDP_MAGIC	0x706d7631	/* the payload's first u32 */
#define AFXDP_CHECK_MUL	0x9e3779b97f4a7c15ULL	/* afxdp.check = seq * this */

PKTMETA_FIELD_NAMED(afxdp_seq, "afxdp.seq", __u32);
PKTMETA_FIELD_NAMED(afxdp_check, "afxdp.check", __u64);

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

const volatile __u16 port = 47000;
const volatile __u32 every_other;
const volatile __u64 export_flags = PKTMETA_EXPORT_F_NO_HINTS;

__u64 exported, export_err, set_err;	/* packets */
int last_err;				/* the last error of set or export */
__u32 last_len;				/* the last block's length */

SEC("xdp")
int afxdp_export(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	__u32 *payload = (void *)(udp + 1);
	__u64 check;
	__u32 seq;
	int ret;

	if ((void *)(payload + 2) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_UDP ||
	    udp->dest != bpf_htons(port) || payload[0] != AFXDP_MAGIC)
		return XDP_PASS;
	seq = payload[1];

	if (!every_other || !(seq & 1)) {
		check = seq * AFXDP_CHECK_MUL;
		ret = pktmeta_field_set(ctx, afxdp_seq, &seq);
		if (!ret)
			ret = pktmeta_field_set(ctx, afxdp_check, &check);
		if (ret) {
			set_err++;
			last_err = ret;
			return XDP_DROP;
		}
	}

	/* Only an exported packet goes to the socket (see bpf_xdp_pktmeta_export). */
	ret = bpf_xdp_pktmeta_export(ctx, export_flags);
	if (ret < 0) {
		export_err++;
		last_err = ret;
		return XDP_DROP;
	}
	exported++;
	last_len = ret;
	return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_DROP);
}

char LICENSE[] SEC("license") = "GPL";
