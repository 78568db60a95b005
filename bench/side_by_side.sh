#!/usr/bin/env bash
# Interleaved side-by-side runs of our benchmarks and the PyTorch reference scripts (BENCHMARKS.md).
# Needs: apt-get install -y python3-torch python3-numpy libopenblas0-openmp
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/GanSharp.Benchmarks -c Release -v q -nologo >/dev/null
B="dotnet bench/GanSharp.Benchmarks/bin/Release/net10.0/GanSharp.Benchmarks.dll"
R=../shared/reference-bench
[ -d "$R" ] || { echo "no reference scripts at $R"; exit 1; }
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp   # PyTorch's fastest configuration here
echo "== toy1d ours";  LD_LIBRARY_PATH= $B toy1d --runs 3 | tail -2
echo "== toy1d torch"; (cd $R && /usr/bin/python3 gan_toy1d_bench.py --threads 1 --runs 3 | tail -3)
echo "== toy1d ours";  LD_LIBRARY_PATH= $B toy1d --runs 3 | tail -2
echo "== mlp ours";    LD_LIBRARY_PATH= $B mlp --runs 5 | tail -3
echo "== mlp torch";   (cd $R && /usr/bin/python3 gan_mlp_bench.py --threads 2 --runs 5 | tail -3)
echo "== mlp ours";    LD_LIBRARY_PATH= $B mlp --runs 5 | tail -3
echo "== dcgan ours";  LD_LIBRARY_PATH= $B dcgan28 | tail -2
echo "== dcgan torch"; (cd $R && /usr/bin/python3 gan_dcgan28_bench.py --threads 2 | tail -3)
echo "== dcgan ours";  LD_LIBRARY_PATH= $B dcgan28 | tail -2
