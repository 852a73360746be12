#!/bin/bash
# crmroi across a Slurm cluster: a job array runs N shards (shard =
# SLURM_ARRAY_TASK_ID, 0..N-1) on a shared file system, then a merge job
# combines them. Submit with:   bash deploy/slurm-array.sh scenario.yaml [SHARDS] [ITERATIONS]
# The merged summary.json, bands.csv and tornado.csv equal a single run's.
#
# - The scenario is validated before anything is submitted: a mistake is
#   reported here, at once, not by N failed shards.
# - The merge job runs when every shard has ended, whether it succeeded or
#   not (--dependency=afterany): it checks that every shard of this
#   submission wrote its part and otherwise ends at once with a message naming
#   the failed shards and their logs. (With afterok, a failed shard would leave
#   the merge pending for ever as DependencyNeverSatisfied.)
# - crmroi must be on the PATH of the compute nodes: `make build` gives a
#   static binary (CGO_ENABLED=0) that runs on any Linux node.
set -euo pipefail
SCENARIO=${1:?usage: slurm-array.sh SCENARIO.yaml [SHARDS] [ITERATIONS]}
SHARDS=${2:-16}
ITERATIONS=${3:-100000000}
PARTS=${PARTS:-$PWD/crmroi-parts}
CRMROI=${CRMROI:-crmroi}
SEED=${SEED:-1}

for v in "SHARDS=$SHARDS" "ITERATIONS=$ITERATIONS" "SEED=$SEED"; do
  case ${v#*=} in '' | *[!0-9]*) echo "slurm-array.sh: ${v%%=*} must be a whole number, got '${v#*=}'; nothing submitted" >&2; exit 2 ;; esac
done
command -v "$CRMROI" >/dev/null || { echo "slurm-array.sh: $CRMROI is not on the PATH (make build; set CRMROI=/path/to/crmroi); nothing submitted" >&2; exit 2; }
SCENARIO=$(realpath "$SCENARIO")
# crmroi's own checks, with its messages (file:line:col); exit 2 for a bad scenario.
"$CRMROI" validate "$SCENARIO" >/dev/null || { echo "slurm-array.sh: $SCENARIO is not valid; nothing submitted" >&2; exit 2; }
mkdir -p "$PARTS"
stamp="$PARTS/.submitted-$$"
touch "$stamp" # the parts of this submission are newer than it

array=$(sbatch --parsable --array=0-$((SHARDS - 1)) --cpus-per-task=2 --mem=1G \
  --job-name=crmroi-shard --output="$PARTS/shard-%a.log" \
  --wrap="'$CRMROI' run '$SCENARIO' -n $ITERATIONS --seed $SEED --shard \${SLURM_ARRAY_TASK_ID}/$SHARDS -w \${SLURM_CPUS_PER_TASK:-2} -q -o '$PARTS'")

merge=$(sbatch --parsable --dependency=afterany:"$array" --kill-on-invalid-dep=yes --cpus-per-task=2 --mem=2G \
  --job-name=crmroi-merge --output="$PARTS/merge.log" \
  --wrap="missing=''; for i in \$(seq 0 $((SHARDS - 1))); do
      p='$PARTS'/part-\$i-of-$SHARDS.crmroi
      [ -f \"\$p\" ] && [ \"\$p\" -nt '$stamp' ] || missing=\"\$missing \$i\"
    done
    if [ -n \"\$missing\" ]; then
      echo \"crmroi-merge: shards\$missing of $SHARDS (job $array) wrote no part; see $PARTS/shard-<i>.log and sacct -j $array; nothing merged\" >&2
      exit 1
    fi
    rm -f '$stamp'
    exec '$CRMROI' merge '$PARTS'/part-*-of-$SHARDS.crmroi -o '$PARTS/result'")
echo "submitted shards as job $array and the merge as job $merge; the result goes to $PARTS/result, a failure to $PARTS/merge.log"
