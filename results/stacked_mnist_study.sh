#!/usr/bin/env bash
# Stacked MNIST (RESULTS.md): the dcgan-stacked-mnist preset, the same with a quarter of D's channels
# (D/4), and D/4 with PacGAN packing (m = 2), on mnist10k; modes counted by `eval modes` at every
# 2,000th checkpoint (26,000 samples each).
# Usage: [DATA=../shared/data/mnist10k] [EVAL_ONLY=1] results/stacked_mnist_study.sh [steps]   (default 10000)
#   Writes results/runs/stacked-mnist10k-{dcgan,dcgan-d4,pacdcgan2-d4} and results/stacked_mnist.csv.
#   One thread per run, two runs side by side. EVAL_ONLY=1 counts the modes of runs already trained.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-10000}
data=${DATA:-../shared/data/mnist10k}
[ -f "$data/mnist10k-images-idx3-ubyte.gz" ] || { echo "mnist10k not found in $data (set DATA)"; exit 1; }
dotnet build src/GanSharp.Cli -c Release -v q -nologo >/dev/null
cli() { dotnet src/GanSharp.Cli/bin/Release/net10.0/GanSharp.Cli.dll --threads 1 "$@"; }
small_d="--set discriminator.layers.1.out_channels=16 --set discriminator.layers.3.out_channels=32"
declare -A settings=([dcgan]="" [dcgan-d4]="$small_d" [pacdcgan2-d4]="$small_d --set train.pack=2")
names=(dcgan dcgan-d4 pacdcgan2-d4)
if [ -z "${EVAL_ONLY:-}" ]; then
  for name in "${names[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
    # shellcheck disable=SC2086
    cli train dcgan-stacked-mnist --set data.type=mnist10k --set output.checkpoint_every=1000 --set output.keep_checkpoints=100 \
        ${settings[$name]} --steps "$steps" --out "results/runs/stacked-mnist10k-$name" --data "$data" > "results/runs/stacked-mnist10k-$name.log" 2>&1 &
  done
  wait
fi
echo "setting,step,modes_covered,reverse_kl,classifier_accuracy" > results/stacked_mnist.csv
for name in "${names[@]}"; do
  run=results/runs/stacked-mnist10k-$name
  for checkpoint in "$run"/checkpoints/step-*.safetensors; do
    step=$((10#$(basename "$checkpoint" .safetensors | cut -d- -f2)))
    [ $((step % 2000)) -eq 0 ] || continue
    cli eval modes "$run" --checkpoint "$step" --data "$data" > /dev/null
    python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(f\"$name,$step,{m['modes_covered']},{m['reverse_kl']:.3f},{m['classifier_accuracy']:.4f}\")" "$run/modes.json" | tee -a results/stacked_mnist.csv
  done
done
