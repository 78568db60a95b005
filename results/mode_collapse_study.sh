#!/usr/bin/env bash
# Mode-collapse study (RESULTS.md): objective/remedy x 5 seeds on ring2d and grid2d.
# Usage: [DATA="ring2d grid2d"] [JOBS=2] results/mode_collapse_study.sh [steps] [settings...]
#   default: 10000 steps, settings gan pacgan4 wgan-gp hinge; writes results/runs/modes/* and results/mode_collapse.md
#   (run names carry the setting; rerunning a setting at another step count overwrites it).
#   These nets are small: one thread per run and JOBS runs side by side use the cores best.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-10000}
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(gan pacgan4 wgan-gp hinge)
dotnet build src/GanSharp.Cli -c Release -v q -nologo >/dev/null
cli() { dotnet src/GanSharp.Cli/bin/Release/net10.0/GanSharp.Cli.dll --threads 1 "$@"; }
declare -A settings=(
  [gan]=""
  [pacgan4]="--set train.pack=4"
  [wgan-gp]="--set objective=wasserstein --set regularizer.type=gradient-penalty --set regularizer.weight=0.1 --set train.k=5 --set optimizers.generator.betas=[0.5,0.9] --set optimizers.discriminator.betas=[0.5,0.9]"
  [hinge]="--set objective=hinge"
  [gan-ema]="--set train.generator_ema=0.999"
  [pacgan4-ema]="--set train.pack=4 --set train.generator_ema=0.999"
)
one() { # data setting seed
  local out=results/runs/modes/$1-$2-$3
  # shellcheck disable=SC2086
  cli train "$1" --steps "$steps" --seed "$3" ${settings[$2]} --out "$out" > "$out.log" 2>&1 || { echo "failed: $out"; return 1; }
  cli eval modes "$out" --samples 2500 >> "$out.log"
  echo "$1 $2 seed $3: $(tail -1 "$out.log")"
}
mkdir -p results/runs/modes
for data in ${DATA:-ring2d grid2d}; do
  for name in "${names[@]}"; do
    [ -n "${settings[$name]+x}" ] || { echo "unknown setting: $name"; exit 2; }
    for seed in 1 2 3 4 5; do
      while [ "$(jobs -rp | wc -l)" -ge "${JOBS:-2}" ]; do wait -n; done
      one "$data" "$name" "$seed" &
    done
  done
done
wait
python3 results/summarize_modes.py results/runs/modes > results/mode_collapse.md
cat results/mode_collapse.md
