// SPDX-License-Identifier: GPL-2.0
/*
 * The smallest pktmeta program: stamp every packet with a 4-byte field and
 * read it back.
 *
 *   modprobe pktmeta
 *   id=$(pktmetactl -j register example.tag 4 | jq .id)
 *   # load with tag_id = $id in .rodata (libbpf skeleton, or pmrun -s), attach
 *   # to an interface, and count stamped/read_back.
 *
 * The field id comes from the registry at load time, never from the source:
 * two programs that register the same name and size share the field; any
 * other program's fields live beside it in the same per-packet area.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

const volatile __u32 tag_id = PKTMETA_ID_NONE;	/* set by the loader */

__u64 stamped;		/* packets the field was set on */
__u64 read_back;	/* ... and read back with the same value */
__u64 refused;		/* set failed: see the errors in pktmeta.bpf.h */

SEC("xdp")
int xdp_set_get(struct xdp_md *ctx)
{
	__u32 tag = bpf_get_prandom_u32(), got = 0;

	if (bpf_xdp_pktmeta_set(ctx, tag_id, &tag, sizeof(tag))) {
		refused++;		/* the packet goes on untagged */
		return XDP_PASS;
	}
	stamped++;
	if (!bpf_xdp_pktmeta_get(ctx, tag_id, &got, sizeof(got)) && got == tag)
		read_back++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
