// SPDX-License-Identifier: GPL-2.0
/*
 * The TC field pointer, for tests/guest/tc_ptr.bats.
 *
 * Test packets are UDP to port 47000 with payload { magic, seq, ... }
 * (send_udp in helpers.bash). xdp_set sets field_id to expected(seq) on
 * each of them; tc_ptr, at TC ingress of the same device, reads that value
 * through bpf_skb_pktmeta_ptr_ro(), stores expected(seq) + 1 through
 * bpf_skb_pktmeta_ptr() and reads the field back with
 * bpf_skb_pktmeta_get(): each packet must show its own values (0 bad).
 * tc_errors asks for what must give NULL, on a test-run skb. The
 * head_* programs call the pointer kfunc and something that can give the
 * skb a new head, the bad_* ones misuse the pointer: the verifier must
 * reject each.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"
#include "test_packet.h"

extern int bpf_dynptr_from_skb(struct __sk_buff *skb, __u64 flags,
			       struct bpf_dynptr *ptr__uninit) __ksym __weak;

const volatile __u32 field_id = PKTMETA_ID_NONE;
const volatile __u32 small_id = PKTMETA_ID_NONE;	/* a 4-byte field */

__u64 xdp_set_ok, xdp_set_err;
__u64 tc_seen, tc_ok, tc_bad, tc_ro_null, tc_ptr_null;
__u64 unknown_null, size_null, room_null, ro_unset_null;

static __always_inline __u64 expected(__u32 seq)
{
	return ((__u64)seq * 0x9e3779b97f4a7c15ULL) ^ TEST_MAGIC;
}

/* The seq of a test packet between @data and @end, or -1. */
static __always_inline long test_seq(void *data, void *end)
{
	struct udphdr *udp = test_udp(data, end, 47000);

	return udp ? test_payload_of(udp)[1] : -1;
}

SEC("xdp")
int xdp_set(struct xdp_md *ctx)
{
	long seq = test_seq((void *)(long)ctx->data,
			    (void *)(long)ctx->data_end);
	__u64 v;

	if (seq < 0)
		return XDP_PASS;
	v = expected(seq);
	if (bpf_xdp_pktmeta_set(ctx, field_id, &v, sizeof(v)))
		__sync_fetch_and_add(&xdp_set_err, 1);
	else
		__sync_fetch_and_add(&xdp_set_ok, 1);
	return XDP_PASS;
}

SEC("tc")
int tc_ptr(struct __sk_buff *skb)
{
	long seq = test_seq((void *)(long)skb->data,
			    (void *)(long)skb->data_end);
	const __u64 *ro;
	__u64 *rw, v = 0;

	if (seq < 0)
		return TC_ACT_OK;
	__sync_fetch_and_add(&tc_seen, 1);
	ro = (const __u64 *)bpf_skb_pktmeta_ptr_ro(skb, field_id, sizeof(*ro));
	if (!ro) {
		__sync_fetch_and_add(&tc_ro_null, 1);
		return TC_ACT_OK;
	}
	if (*ro != expected(seq)) {
		__sync_fetch_and_add(&tc_bad, 1);
		return TC_ACT_OK;
	}
	rw = (__u64 *)bpf_skb_pktmeta_ptr(skb, field_id, sizeof(*rw));
	if (!rw) {
		__sync_fetch_and_add(&tc_ptr_null, 1);
		return TC_ACT_OK;
	}
	*rw = expected(seq) + 1;
	if (!bpf_skb_pktmeta_get(skb, field_id, &v, sizeof(v)) &&
	    v == expected(seq) + 1 && *ro == v)
		__sync_fetch_and_add(&tc_ok, 1);
	else
		__sync_fetch_and_add(&tc_bad, 1);
	return TC_ACT_OK;
}

/*
 * A test run's skb has 64 bytes of headroom (bpf_prog_test_run_skb()),
 * too few for an area: every call gives NULL, each for its own reason.
 */
SEC("tc")
int tc_errors(struct __sk_buff *skb)
{
	if (!bpf_skb_pktmeta_ptr(skb, PKTMETA_ID_NONE - 1, 8))
		unknown_null++;
	if (!bpf_skb_pktmeta_ptr(skb, small_id, 8))
		size_null++;
	if (!bpf_skb_pktmeta_ptr(skb, field_id, 8))
		room_null++;
	if (!bpf_skb_pktmeta_ptr_ro(skb, field_id, 8))
		ro_unset_null++;
	return TC_ACT_OK;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} progs SEC(".maps");

static const __u8 zero;

/* The pointer, then something that can move the head: each rejected. */
#define HEAD_MOVER(name, call)						\
SEC("tc")								\
int head_##name(struct __sk_buff *skb)					\
{									\
	__u64 *p = (__u64 *)bpf_skb_pktmeta_ptr(skb, field_id, 8);	\
									\
	call;								\
	if (p)								\
		*p = 1;							\
	return TC_ACT_OK;						\
}

HEAD_MOVER(pull_data, bpf_skb_pull_data(skb, 0))
HEAD_MOVER(change_head, bpf_skb_change_head(skb, 14, 0))
HEAD_MOVER(store_bytes, bpf_skb_store_bytes(skb, 0, &zero, 1, 0))
HEAD_MOVER(tail_call, bpf_tail_call(skb, &progs, 0))

SEC("tc")
int head_dynptr(struct __sk_buff *skb)
{
	const __u64 *p = (const __u64 *)bpf_skb_pktmeta_ptr_ro(skb, field_id, 8);
	struct bpf_dynptr d;

	bpf_dynptr_from_skb(skb, 0, &d);
	return p && *p ? TC_ACT_SHOT : TC_ACT_OK;
}

/* The same as head_pull_data, the helper in a subprogram. */
static __noinline int pull(struct __sk_buff *skb)
{
	return bpf_skb_pull_data(skb, 0);
}

SEC("tc")
int head_in_subprog(struct __sk_buff *skb)
{
	__u64 *p = (__u64 *)bpf_skb_pktmeta_ptr(skb, field_id, 8);

	pull(skb);
	if (p)
		*p = 1;
	return TC_ACT_OK;
}

SEC("tc")
int bad_past_end(struct __sk_buff *skb)
{
	__u8 *p = bpf_skb_pktmeta_ptr(skb, field_id, 8);

	if (p)
		p[8] = 1;
	return TC_ACT_OK;
}

SEC("tc")
int bad_ro_store(struct __sk_buff *skb)
{
	__u8 *p = (__u8 *)bpf_skb_pktmeta_ptr_ro(skb, field_id, 8);

	if (p)
		*p = 1;
	return TC_ACT_OK;
}

SEC("tc")
int bad_no_null_check(struct __sk_buff *skb)
{
	__u64 *p = (__u64 *)bpf_skb_pktmeta_ptr(skb, field_id, 8);

	*p = 1;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
