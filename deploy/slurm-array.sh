#!/bin/bash
# crmroi across a Slurm cluster: a job array runs N shards (shard =
# SLURM_ARRAY_TASK_ID, 0..N-1) on a shared file system, then a dependent job
# merges them. Submit with:   bash deploy/slurm-array.sh scenario.yaml
# The merged summary.json, bands.csv and tornado.csv equal a single run's.
set -euo pipefail
SCENARIO=${1:?usage: slurm-array.sh SCENARIO.yaml [SHARDS] [ITERATIONS]}
SHARDS=${2:-16}
ITERATIONS=${3:-100000000}
PARTS=${PARTS:-$PWD/crmroi-parts}
mkdir -p "$PARTS"

array=$(sbatch --parsable --array=0-$((SHARDS - 1)) --cpus-per-task=2 --mem=1G \
  --job-name=crmroi-shard --output="$PARTS/shard-%a.log" \
  --wrap="crmroi run '$SCENARIO' -n $ITERATIONS --seed 1 --shard \${SLURM_ARRAY_TASK_ID}/$SHARDS -w 2 -q -o '$PARTS'")

sbatch --dependency=afterok:"$array" --cpus-per-task=2 --mem=2G \
  --job-name=crmroi-merge --output="$PARTS/merge.log" \
  --wrap="crmroi merge '$PARTS'/part-*-of-$SHARDS.crmroi -o '$PARTS/result'"
echo "submitted shards as job $array; the merge runs when they all succeed"
