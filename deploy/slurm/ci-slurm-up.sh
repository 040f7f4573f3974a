#!/usr/bin/env bash
# Brings up a one-node SLURM on this machine (Debian's slurm-wlm and munge, no systemd, no cgroups) for the
# SLURM test. Idempotent: installs the packages when missing, writes /etc/slurm/slurm.conf when it differs,
# starts munged, slurmctld and slurmd when they are not running, and waits until the node takes jobs.
# Needs root (or sudo). Recipe: ../shared/engineering-notes.md, "A real one-node SLURM on this machine".
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if ! command -v sbatch >/dev/null 2>&1 || ! [ -x /usr/sbin/munged ] || ! [ -x /usr/sbin/slurmd ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq slurm-wlm munge >/dev/null
fi

host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
conf=$(cat <<CONF
ClusterName=sgdsim-ci
SlurmctldHost=$host
AuthType=auth/munge
SlurmUser=slurm
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
MailProg=/bin/true
MpiDefault=none
CONF
)
changed=0
if [ "$(cat /etc/slurm/slurm.conf 2>/dev/null)" != "$conf" ]; then
  $sudo mkdir -p /etc/slurm
  printf '%s\n' "$conf" | $sudo tee /etc/slurm/slurm.conf >/dev/null
  changed=1
fi

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

$sudo mkdir -p /run/munge && $sudo chown munge:munge /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  $sudo runuser -u munge -- /usr/sbin/munged
fi
$sudo mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/slurm
$sudo chown slurm:slurm /var/spool/slurmctld /var/log/slurm /run/slurm
if [ "$changed" = 1 ]; then
  # a new slurm.conf: restart the daemons so that they read it
  for pid in /run/slurm/slurmd.pid /run/slurm/slurmctld.pid; do
    if running "$pid"; then $sudo kill "$(cat "$pid")"; fi
  done
  sleep 1
fi
running /run/slurm/slurmctld.pid || $sudo /usr/sbin/slurmctld
running /run/slurm/slurmd.pid || $sudo /usr/sbin/slurmd

for _ in $(seq 1 60); do
  state=$(sinfo -h -N -o '%t' 2>/dev/null | head -1 || true)
  case "$state" in
    idle*|mix*|alloc*) echo "slurm is up on $host ($state)"; exit 0 ;;
    down*|drain*) $sudo scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true ;;
  esac
  sleep 1
done
echo "ci-slurm-up: the SLURM node $host did not become idle within 60 s (see /var/log/slurm/)" >&2
exit 1
