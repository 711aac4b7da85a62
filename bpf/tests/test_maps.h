/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Map definitions the test programs share, so that two programs that open
 * the same pinned map (concurrency.bpf.c's churn and soak.bpf.c) define it
 * the same way, and the redirect maps read alike everywhere.
 */
#ifndef PKTMETA_TEST_MAPS_H
#define PKTMETA_TEST_MAPS_H

/* An array of @entries u32, pinned by name in libbpf's pin path. */
#define PINNED_U32_ARRAY(name, entries)			\
	struct {					\
		__uint(type, BPF_MAP_TYPE_ARRAY);	\
		__uint(max_entries, entries);		\
		__type(key, __u32);			\
		__type(value, __u32);			\
		__uint(pinning, LIBBPF_PIN_BY_NAME);	\
	} name SEC(".maps")

/* A devmap with @entries slots for bpf_redirect_map(). */
#define TEST_DEVMAP(name, entries)				\
	struct {						\
		__uint(type, BPF_MAP_TYPE_DEVMAP);		\
		__uint(max_entries, entries);			\
		__type(key, __u32);				\
		__type(value, struct bpf_devmap_val);		\
	} name SEC(".maps")

/* A cpumap with @entries CPUs for bpf_redirect_map(). */
#define TEST_CPUMAP(name, entries)				\
	struct {						\
		__uint(type, BPF_MAP_TYPE_CPUMAP);		\
		__uint(max_entries, entries);			\
		__type(key, __u32);				\
		__type(value, struct bpf_cpumap_val);		\
	} name SEC(".maps")

#endif
