// Benchmarks: each prints its ratios against a raw floor measured in the same run.
console.log('No benchmarks registered yet.');
