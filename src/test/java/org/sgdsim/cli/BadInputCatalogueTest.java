package org.sgdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue of bad inputs — command lines, expressions, config values, files and run folders — each with the
 * exact one-line message the user sees, exit code 2, and nothing written under the output folder; damaged run
 * folders handed to {@code resume} are refused the same way and left byte-for-byte as they were.
 */
class BadInputCatalogueTest
{
    private static final String BASE = String.join("\n",
        "experiment.name = t",
        "data.dim = 20",
        "teacher.target = \"He2(z1)\"",
        "student { width = 2, activation = He2 }",
        "training { batch-size = 2, learning-rate = \"0.5/d\" }",
        "stop.max-steps = 10",
        "metrics.progress = false");

    @TempDir
    Path tmp;

    static Stream<Arguments> catalogue()
    {
        return Stream.of(
            // command line
            Arguments.of(List.of("run"), "sgdsim: Missing required parameter: 'FILE' (see 'sgdsim help run')"),
            Arguments.of(List.of("run", "@base", "extra"), "sgdsim: Unmatched argument at index 2: 'extra' (see 'sgdsim help run')"),
            Arguments.of(List.of("run", "@base", "--bogus"), "sgdsim: Unknown option: '--bogus' (see 'sgdsim help run')"),
            Arguments.of(List.of("fly"), "sgdsim: Unmatched argument at index 0: 'fly' (see 'sgdsim --help')"),
            Arguments.of(List.of("bench", "--batch", "x"), "sgdsim: Invalid value for option '--batch': 'x' is not an int (see 'sgdsim help bench')"),
            Arguments.of(List.of("bench", "--batch", "0"), "sgdsim: bench: --dim, --width, --batch must be ≥ 1, --seconds > 0 and --warmup ≥ 0"),
            Arguments.of(List.of("bench", "--replay"), "sgdsim: bench: --replay needs --alternate"),
            Arguments.of(List.of("bench", "--dim", "16777216", "--width", "65536"), "sgdsim: student.width × data.dim: the student's first-layer weights would hold 1099511627776 numbers (8192 GiB), more than one Java array holds (2147483631); lower student.width or data.dim"),
            Arguments.of(List.of("bench", "--calibrate", "--sampler", "lowrank"),
                "sgdsim: bench: --calibrate rates explicit samples (d Gaussians each); it does not apply to --sampler lowrank"),
            Arguments.of(List.of("bench", "--alternate", "3"), "sgdsim: bench: --alternate needs --live and a number of pairs in [0, 100]"),
            Arguments.of(List.of("resume"), "sgdsim: Missing required parameter: 'RUN_DIR' (see 'sgdsim help resume')"),
            // cluster: transport security, keys and the coordinator bench (docs/cluster.md)
            Arguments.of(List.of("cluster", "seed", "--set", "cluster.host=192.0.2.1"), "sgdsim: cluster.host / cluster.bind-host 192.0.2.1 is reachable from other machines and the cluster has no TLS: give the keys with --set cluster.tls.dir=DIR (make them with `sgdsim cluster keygen DIR`), or set cluster.insecure = true on a network you trust"),
            Arguments.of(List.of("cluster", "worker", "--set", "cluster.bind-host=0.0.0.0"), "sgdsim: cluster.host / cluster.bind-host 0.0.0.0 is reachable from other machines and the cluster has no TLS: give the keys with --set cluster.tls.dir=DIR (make them with `sgdsim cluster keygen DIR`), or set cluster.insecure = true on a network you trust"),
            Arguments.of(List.of("sweep", "@tmp/zero-seeds.conf", "--cluster", "127.0.0.1:2552", "--set", "cluster.host=192.0.2.1"), "sgdsim: cluster.host / cluster.bind-host 192.0.2.1 is reachable from other machines and the cluster has no TLS: give the keys with --set cluster.tls.dir=DIR (make them with `sgdsim cluster keygen DIR`), or set cluster.insecure = true on a network you trust"),
            Arguments.of(List.of("cluster", "seed", "--set", "cluster.insecure=maybe"), "sgdsim: --set: cluster.insecure: expected true or false, got 'maybe'"),
            Arguments.of(List.of("cluster", "seed", "--set", "cluster.tls.dir=@tmp/nokeys"), "sgdsim: cluster.tls.dir @tmp/nokeys: cannot read password (make the keys with `sgdsim cluster keygen @tmp/nokeys`)"),
            Arguments.of(List.of("cluster", "keygen"), "sgdsim: cluster keygen: expected the folder for the keys, e.g. `sgdsim cluster keygen runs/cluster-keys`"),
            Arguments.of(List.of("cluster", "seed", "@tmp"), "sgdsim: cluster seed: unexpected argument '@tmp'"),
            Arguments.of(List.of("cluster", "keygen", "@base"), "sgdsim: cluster keygen @base: not a folder"),
            Arguments.of(List.of("cluster", "keygen", "@tmp/keys", "--days", "0"), "sgdsim: --days: expected a number of days in [1, 36500], got 0"),
            Arguments.of(List.of("cluster", "keygen", "@tmp/keys", "--renew"), "sgdsim: cluster keygen --renew @tmp/keys: no ca.p12 there to sign with"),
            Arguments.of(List.of("cluster", "bench", "--runs", "15"), "sgdsim: --runs: expected a multiple of 10 in [10, 100000], got 15"),
            Arguments.of(List.of("resume", "@tmp/nothing"), "sgdsim: run folder @tmp/nothing does not exist"),
            Arguments.of(List.of("resume", "@tmp"), "sgdsim: @tmp is not a run folder: it has no config.conf"),
            Arguments.of(List.of("run", "@tmp/missing.conf"), "sgdsim: experiment file @tmp/missing.conf does not exist or is not a file"),
            Arguments.of(List.of("run", "@base", "--set", "=3"), "sgdsim: --set expects key=value, got '=3'"),
            // expressions
            Arguments.of(List.of("run", "@base", "--set", "teacher.target=z1+"), "sgdsim: --set: teacher.target: missing operand at column 4 in \"z1+\""),
            Arguments.of(List.of("run", "@base", "--set", "teacher.target=He9(z1)"), "sgdsim: --set: teacher.target: He9 is not supported (He0..He8) at column 1 in \"He9(z1)\""),
            Arguments.of(List.of("run", "@base", "--set", "teacher.target=z0"), "sgdsim: --set: teacher.target: target variable 'z0' is not allowed at column 1 in \"z0\"; variables are numbered from z1, without leading zeros"),
            Arguments.of(List.of("run", "@base", "--set", "teacher.target=2*z1)"), "sgdsim: --set: teacher.target: unexpected ')' at column 5 in \"2*z1)\""),
            Arguments.of(List.of("run", "@base", "--set", "teacher.target=max(z1)"), "sgdsim: --set: teacher.target: function 'max' takes 2 arguments but got 1 at column 1 in \"max(z1)\""),
            Arguments.of(List.of("run", "@base", "--set", "teacher.target=3"), "sgdsim: --set: teacher.target: expected a string, got 3"),
            Arguments.of(List.of("run", "@base", "--set", "training.learning-rate=1/0"), "sgdsim: --set: training.learning-rate: expected a finite value, got '1/0' = Infinity"),
            Arguments.of(List.of("run", "@base", "--set", "training.learning-rate=d^^2"), "sgdsim: --set: training.learning-rate: missing operand before '^' at column 3 in \"d^^2\""),
            Arguments.of(List.of("run", "@base", "--set", "student.activation=tanh(x"), "sgdsim: --set: student.activation: expected one of He1..He8, erf, relu, tanh, square, linear or an expression in x; unclosed '(' at column 5 in \"tanh(x\""),
            Arguments.of(List.of("run", "@base", "--set", "student.activation=tanh(z1)"), "sgdsim: --set: student.activation: expected one of He1..He8, erf, relu, tanh, square, linear or an expression in x; unknown variable 'z1' at column 6 in \"tanh(z1)\"; variables are x"),
            // values
            Arguments.of(List.of("run", "@base", "--set", "training.loss=adaptive", "--set", "training.switch-when={metric=loss, below=0.1}"), "sgdsim: --set: training.switch-when.metric: expected max-cos-R (R in 1..1), risk, m-J-R or q-J-L (J, L in 1..2), got 'loss'"),
            Arguments.of(List.of("run", "@base", "--set", "training.loss=adaptive"), "sgdsim: training.switch-when: required with training.loss = adaptive, e.g. { metric = risk, below = 0.05 }"),
            Arguments.of(List.of("run", "@base", "--set", "training.loss=hinge"), "sgdsim: --set: training.loss: expected square, correlation, exponential or adaptive, got 'hinge'"),
            // giant-step runs and their readout (docs/configuration.md, "Giant steps")
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "giant.steps=4"), "sgdsim: --set: giant.steps: expected an integer in [0, 3], got 4"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "giant.kappa=5"), "sgdsim: --set: giant.kappa: expected a number in [0.0, 4.0], got 5.0"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "giant.batch=twice"), "sgdsim: --set: giant.batch: expected fresh or reuse, got 'twice'"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "giant.loss=exponential"), "sgdsim: --set: giant.loss: expected square or correlation, got 'exponential'"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "giant.learning-rate=-p"), "sgdsim: --set: giant.learning-rate: expected a positive step size, got -256.0"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "giant.learning-rate=q*d"), "sgdsim: --set: giant.learning-rate: unknown variable 'q' at column 1 in \"q*d\"; variables are d, p, k, n"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "giant.learned-above=2"), "sgdsim: --set: giant.learned-above: expected a number in [0.0, 1.0], got 2.0"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "readout.lambda=-1"), "sgdsim: --set: readout.lambda: expected a number in [0.0, 1.0E12], got -1.0"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "readout.samples=0"), "sgdsim: --set: readout.samples: expected a count in [1, 16777216], got 0"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "readout.test-samples=d/0"), "sgdsim: --set: readout.test-samples: expected a finite value, got 'd/0' = Infinity"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "readout.at-steps=[5]"), "sgdsim: --set: readout.at-steps: expected a list of steps in [0, giant.steps = 1], got [5]"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "readout.spectrum=maybe"), "sgdsim: --set: readout.spectrum: expected true or false, got 'maybe'"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "readout.spectrum-margin=-0.5"), "sgdsim: --set: readout.spectrum-margin: expected a number in [0.0, 10.0], got -0.5"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "readout.lambda=0", "--set", "readout.samples=100"), "sgdsim: --set: readout.lambda: expected a positive penalty when readout.samples < student.width (the fit is singular), got 0"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "data.sampler=lowrank", "--set", "giant.batch=reuse", "--set", "giant.steps=2"), "sgdsim: --set: data.sampler: expected explicit with giant.batch = reuse (the low-rank draw is exact for a fresh batch only: a reused batch's coordinates change with W), got 'lowrank'"),
            Arguments.of(List.of("run", "@base", "--set", "readout.enabled=maybe"), "sgdsim: --set: readout.enabled: expected auto, true or false, got 'maybe'"),
            Arguments.of(List.of("run", "@base", "--set", "readout.enabled=true", "--set", "readout.at-steps=[30, 3]"), "sgdsim: --set: readout.at-steps: expected an increasing list of steps ≥ 0 for an online run, got [30, 3]"),
            Arguments.of(List.of("run", "@base", "--set", "readout.enabled=true", "--set", "readout.at-steps=[3, 3]"), "sgdsim: --set: readout.at-steps: expected an increasing list of steps ≥ 0 for an online run, got [3, 3]"),
            Arguments.of(List.of("run", "@base", "--set", "readout.enabled=true", "--set", "readout.at-steps=[-1]"), "sgdsim: --set: readout.at-steps: expected an increasing list of steps ≥ 0 for an online run, got [-1]"),
            Arguments.of(List.of("run", "@base", "--set", "readout.enabled=true", "--set", "readout.at-steps=[2.5]"), "sgdsim: --set: readout.at-steps: expected an increasing list of steps ≥ 0 for an online run, got [2.5]"),
            Arguments.of(List.of("run", "conf/experiments/giant-step.conf", "--set", "readout.enabled=false"), "sgdsim: --set: readout.enabled: expected auto or true for experiment.kind = giant-step (its readout is the protocol's result), got false"),
            Arguments.of(List.of("run", "conf/experiments/dfa-teacher-student.conf", "--set", "readout.lambda=1"), "sgdsim: readout: only with experiment.kind = giant-step (this experiment is dfa)"),
            Arguments.of(List.of("run", "@base", "--set", "experiment.kind=giant"), "sgdsim: --set: experiment.kind: expected online, dfa or giant-step, got 'giant'"),
            Arguments.of(List.of("run", "@base", "--set", "training.second-layer=adam"), "sgdsim: --set: training.second-layer: expected fixed or sgd, got 'adam'"),
            Arguments.of(List.of("run", "@base", "--set", "training.second-layer=sgd", "--set", "training.second-layer-rate=-lr"), "sgdsim: --set: training.second-layer-rate: expected a positive step size, got -0.025"),
            Arguments.of(List.of("run", "@base", "--set", "data.gaussian=box-muller"), "sgdsim: --set: data.gaussian: expected vector or ziggurat, got 'box-muller'"),
            Arguments.of(List.of("run", "@base", "--set", "stop.max-samples=-5"), "sgdsim: --set: stop.max-samples: expected a count in [0, 9223372036854775806], got -5"),
            Arguments.of(List.of("run", "@base", "--set", "student.second-layer=[1, x]"), "sgdsim: --set: student.second-layer: expected a list of numbers, got [1, x]"),
            Arguments.of(List.of("run", "@base", "--set", "student.init={M0=[[0.1]]}"), "sgdsim: --set: student.init: expected an object with both M0 (p × k) and Q0 (p × p), got {M0=[[0.1]]}"),
            Arguments.of(List.of("run", "@base", "--set", "student.init={M0=[[0.1],[0.2]], Q0=[[1,0]]}"), "sgdsim: --set: student.init.Q0: expected a 2 × 2 matrix as a list of rows, e.g. [[0.1, 0.2], ...], got [[1, 0]]"),
            Arguments.of(List.of("run", "@base", "--set", "data.noise=-1"), "sgdsim: --set: data.noise: expected a number in [0.0, 1.7976931348623157E308], got -1.0"),
            Arguments.of(List.of("run", "@base", "--set", "data.block-size=0"), "sgdsim: --set: data.block-size: expected an integer in [1, 1048576], got 0"),
            Arguments.of(List.of("run", "@base", "--set", "metrics.per-decade=0"), "sgdsim: --set: metrics.per-decade: expected an integer in [1, 1000], got 0"),
            Arguments.of(List.of("run", "@base", "--set", "checkpoint.keep=0"), "sgdsim: --set: checkpoint.keep: expected an integer in [1, 1000], got 0"),
            Arguments.of(List.of("run", "@base", "--set", "checkpoint.every-seconds=soon"), "sgdsim: --set: checkpoint.every-seconds: expected none or a positive integer, got 'soon'"),
            Arguments.of(List.of("run", "@base", "--set", "stop.max-wall=5"), "sgdsim: --set: stop.max-wall: expected none or a positive duration with its unit (2h, 90m, 30s, 500ms), got 5"),
            Arguments.of(List.of("run", "@base", "--set", "stop.max-wall=soon"), "sgdsim: --set: stop.max-wall: expected none or a positive duration with its unit (2h, 90m, 30s, 500ms), got 'soon'"),
            Arguments.of(List.of("run", "@base", "--set", "stop.max-wall=-2h"), "sgdsim: --set: stop.max-wall: expected none or a positive duration with its unit (2h, 90m, 30s, 500ms), got '-2h'"),
            Arguments.of(List.of("run", "@base", "--set", "pipeline.generators=0"), "sgdsim: --set: pipeline.generators: expected an integer in [1, 256], got 0"),
            Arguments.of(List.of("run", "@base", "--set", "training.displacement=abc"), "sgdsim: --set: training.displacement: expected a number in [-1000000.0, 1000000.0], got 'abc'"),
            Arguments.of(List.of("run", "@base", "--set", "experiment.seed=1.5"), "sgdsim: --set: experiment.seed: expected an integer in [-9223372036854775808, 9223372036854775807], got 1.5"),
            Arguments.of(List.of("run", "@base", "--set", "optics.readout=holography"), "sgdsim: --set: optics.readout: expected ideal, diff2, exact3 or lightonml, got 'holography'"),
            Arguments.of(List.of("optics-cost", "--set", "optics.cost.batch=0", "--plot", "@tmp/runs/cost.png"), "sgdsim: --set: optics.cost.batch: expected an integer in [1, 2147483647], got 0"),
            Arguments.of(List.of("optics-cost", "--set", "data.dim=3", "--plot", "@tmp/runs/cost.png"), "sgdsim: --set: 'data.dim': expected an optics.* key (this command reads only the optics section)"),
            Arguments.of(List.of("optics-cost", "--plot", "@tmp/runs/cost.png"), "sgdsim: --plot: folder @tmp/runs does not exist"),
            // files
            Arguments.of(List.of("run", "@syntax"), "sgdsim: @tmp/syntax.conf: 1: Expecting close brace } or a comma, got end of file"),
            Arguments.of(List.of("run", "@base", "--out", "@base"), "sgdsim: --out @base exists and is not a directory"),
            Arguments.of(List.of("run", "@base", "--out", "/proc/x"), "sgdsim: cannot create the run folder under /proc/x: /proc exists but its file system accepts no new folder x (no such file or directory)"),
            Arguments.of(List.of("run", "@base", "--out", "@base/x"), "sgdsim: cannot create the run folder under @base/x: not a directory: @base/x"),
            // sweep files
            Arguments.of(List.of("sweep", "@tmp/unknown-grid-key.conf"), "sgdsim: sweep unknown-grid-key.conf, grid point data.dimm=10: unknown-grid-key.conf:2: unknown key 'data.dimm' (did you mean data.dim?)"),
            Arguments.of(List.of("sweep", "@tmp/bad-grid-value.conf"), "sgdsim: sweep bad-grid-value.conf, grid point data.dim=x: bad-grid-value.conf:2: data.dim: expected an integer in [1, 16777216], got 'x'"),
            Arguments.of(List.of("sweep", "@tmp/empty-grid.conf"), "sgdsim: empty-grid.conf:2: grid.data.dim: expected a non-empty list of values, got []"),
            Arguments.of(List.of("sweep", "@tmp/no-experiment.conf"), "sgdsim: no-experiment.conf:1: experiment: expected an existing experiment file (relative to the sweep file's folder), got '@tmp/nothere.conf'"),
            Arguments.of(List.of("sweep", "@tmp/zero-seeds.conf"), "sgdsim: zero-seeds.conf:3: seeds: expected a count in [1, 10000] or a non-empty list of distinct integer seeds, got 0"),
            Arguments.of(List.of("sweep", "@tmp/unknown-sweep-key.conf"), "sgdsim: unknown-sweep-key.conf:3: unknown sweep key 'bogus'; a sweep file has name, experiment, grid, seeds, set, time-model, curves, fits (experiment keys go under set { ... })"),
            Arguments.of(List.of("sweep", "@tmp/set-overrides-grid.conf"), "sgdsim: set: data.dim is set by the grid (data.dim); change the grid instead of overriding it"),
            Arguments.of(List.of("sweep", "@tmp/unnamed-variant.conf"), "sgdsim: unnamed-variant.conf:2: grid.variant: each override set needs name = <letters, digits, . _ + ->, got {\"training\":{\"rule\":\"sgd\"}}"),
            Arguments.of(List.of("sweep", "@tmp/bad-curve-metric.conf"), "sgdsim: sweep bad-curve-metric.conf, grid point data.dim=10: curves.metrics: expected max-cos-R (R in 1..1), risk, m-J-R or q-J-L (J, L in 1..2), got 'max-cos-9'"),
            Arguments.of(List.of("sweep", "@tmp/bad-curve-x.conf"), "sgdsim: bad-curve-x.conf:3: curves.x: expected steps, samples, steps/d or samples/d, got 'hours'"),
            Arguments.of(List.of("sweep", "@tmp/bad-fits.conf"), "sgdsim: bad-fits.conf:3: fits.resamples: expected an integer in [100, 1000000], got -1"),
            Arguments.of(List.of("sweep", "@tmp/bad-grid-expression.conf"), "sgdsim: sweep bad-grid-expression.conf, grid point training.batch-size=d^^2: bad-grid-expression.conf:2: training.batch-size: missing operand before '^' at column 3 in \"d^^2\""),
            // sizes: what a run would allocate, checked before anything is built or written (@heap: this JVM's heap)
            Arguments.of(List.of("run", "conf/experiments/quickstart.conf", "--set", "data.dim=16777216", "--set", "student.width=65536"),
                "sgdsim: student.width × data.dim: the student's first-layer weights would hold 1099511627776 numbers (8192 GiB), more than one Java array holds (2147483631); lower student.width or data.dim"),
            Arguments.of(List.of("run", "conf/experiments/quickstart.conf", "--set", "data.dim=16777216", "--set", "training.batch-size=100000", "--set", "pipeline.generators=2"),
                "sgdsim: memory: the run needs about 65 GiB, more than the @heap heap of this JVM (the 8 pooled sample blocks: data.block-size × data.dim × pipeline.generators = 64 GiB; the student's weights, gradient and initialisation: student.width × data.dim = 1.13 GiB); lower data.block-size, data.dim or pipeline.generators or give Java more heap (SGDSIM_JAVA_OPTS=-Xmx…)"),
            Arguments.of(List.of("run", "conf/experiments/dfa-digits-dfa.conf", "--set", "network.widths=[64,65536,65536,10]"),
                "sgdsim: network.widths: the weights of layer 2 (65536 × 65536) would hold 4294967296 numbers (32 GiB), more than one Java array holds (2147483631); lower network.widths"),
            Arguments.of(List.of("run", "@base", "--set", "student.width=65536"),
                "sgdsim: student.width²: the student's overlap matrix Q would hold 4294967296 numbers (32 GiB), more than one Java array holds (2147483631); lower student.width"),
            Arguments.of(List.of("run", "@base", "--set", "data.dim=16777216", "--set", "pipeline.generators=1"),
                "sgdsim: memory: the run needs about 33 GiB, more than the @heap heap of this JVM (the 4 pooled sample blocks: data.block-size × data.dim × pipeline.generators = 32 GiB; the student's weights, gradient and initialisation: student.width × data.dim = 0.63 GiB); lower data.block-size, data.dim or pipeline.generators or give Java more heap (SGDSIM_JAVA_OPTS=-Xmx…)"),
            Arguments.of(List.of("run", "@base", "--set", "data.dim=16777216", "--set", "pipeline.generators=256"),
                "sgdsim: memory: the run needs about 8193 GiB, more than the @heap heap of this JVM (the 1024 pooled sample blocks: data.block-size × data.dim × pipeline.generators = 8192 GiB; the student's weights, gradient and initialisation: student.width × data.dim = 0.63 GiB); lower data.block-size, data.dim or pipeline.generators or give Java more heap (SGDSIM_JAVA_OPTS=-Xmx…)"),
            Arguments.of(List.of("run", "@base", "--set", "data.block-size=1048576", "--set", "data.dim=4096"),
                "sgdsim: data.block-size × data.dim: one block of samples would hold 4294967296 numbers (32 GiB), more than one Java array holds (2147483631); lower data.block-size or data.dim"),
            Arguments.of(List.of("run", "@base", "--set", "metrics.risk-samples=10000000", "--set", "student.width=1000", "--set", "student.activation=relu", "--set", "teacher.target=sign(z1)"),
                "sgdsim: metrics.risk-samples × student.width: the risk's held-out fields would hold 10000000000 numbers (75 GiB), more than one Java array holds (2147483631); lower metrics.risk-samples or student.width"),
            Arguments.of(List.of("run", "@base", "--set", "data.sampler=lowrank", "--set", "data.dim=16777216", "--set", "student.width=100"),
                "sgdsim: memory: the run needs about 63 GiB, more than the @heap heap of this JVM (the low-rank sampler's basis and stack: student.width × data.dim = 38 GiB; the student's weights, gradient and initialisation: student.width × data.dim = 25 GiB); lower student.width or data.dim or give Java more heap (SGDSIM_JAVA_OPTS=-Xmx…)"),
            Arguments.of(List.of("run", "@base", "--set", "theory.enabled=true", "--set", "metrics.every=1", "--set", "stop.max-steps=20000000"),
                "sgdsim: metrics.every: more than 10000000 theory rows up to step 20000000; use a coarser schedule or a smaller budget"),
            Arguments.of(List.of("theory", "@base", "--set", "student.width=65536"),
                "sgdsim: student.width²: the student's overlap matrix Q would hold 4294967296 numbers (32 GiB), more than one Java array holds (2147483631); lower student.width"),
            Arguments.of(List.of("run", "conf/experiments/dfa-digits-opu.conf", "--set", "network.widths=[64,20000,20000,10]"),
                "sgdsim: memory: the run needs about 25 GiB, more than the @heap heap of this JVM (the weights, velocities, gradients and checkpoint state: network.widths = 24 GiB; the activations and deltas: dfa.batch-size × network.widths = 1.01 GiB); lower network.widths or give Java more heap (SGDSIM_JAVA_OPTS=-Xmx…)"),
            Arguments.of(List.of("run", "conf/experiments/dfa-digits-dfa.conf", "--set", "network.widths=[64,4096,4096,10]", "--seeds", "0-999", "--parallel", "1000"),
                "sgdsim: memory: 1000 runs at once need about 1230 GiB, more than the @heap heap of this JVM (the weights, velocities, gradients and checkpoint state: network.widths = 1.02 GiB per run; the activations and deltas: dfa.batch-size × network.widths = 0.21 GiB per run); lower network.widths, run fewer at once (--parallel) or give Java more heap (SGDSIM_JAVA_OPTS=-Xmx…)"),
            Arguments.of(List.of("run", "conf/experiments/dfa-teacher-student.conf", "--set", "dfa.train-size=10000000", "--set", "dfa.batch-size=10000000", "--set", "network.widths=[20,65536,5]"),
                "sgdsim: dfa.batch-size × network.widths: the activations of layer 1 would hold 655360000000 numbers (4883 GiB), more than one Java array holds (2147483631); lower dfa.batch-size or network.widths"),
            Arguments.of(List.of("sweep", "@tmp/huge-point.conf", "--parallel", "2"),
                "sgdsim: sweep huge-point.conf, grid point data.dim=16777216: memory: 2 runs at once need about 66 GiB, more than the @heap heap of this JVM (the 4 pooled sample blocks: data.block-size × data.dim × pipeline.generators = 32 GiB per run; the student's weights, gradient and initialisation: student.width × data.dim = 0.63 GiB per run); lower data.block-size, data.dim or pipeline.generators, run fewer at once (--parallel) or give Java more heap (SGDSIM_JAVA_OPTS=-Xmx…)"),
            Arguments.of(List.of("sweep", "@tmp/overflow-point.conf"),
                "sgdsim: sweep overflow-point.conf, grid point student.width=65536: student.width²: the student's overlap matrix Q would hold 4294967296 numbers (32 GiB), more than one Java array holds (2147483631); lower student.width"));
    }

    /** Sweep files of the catalogue: each has one mistake (the experiment it points to is fine). */
    private static final java.util.Map<String, String> SWEEPS = java.util.Map.ofEntries(
        java.util.Map.entry("unknown-grid-key.conf", "experiment = \"base.conf\"\ngrid { \"data.dimm\" = [10] }\nseeds = 2"),
        java.util.Map.entry("bad-grid-value.conf", "experiment = \"base.conf\"\ngrid { \"data.dim\" = [10, x] }\nseeds = 2"),
        java.util.Map.entry("empty-grid.conf", "experiment = \"base.conf\"\ngrid { \"data.dim\" = [] }\nseeds = 2"),
        java.util.Map.entry("no-experiment.conf", "experiment = \"nothere.conf\"\ngrid { \"data.dim\" = [10] }\nseeds = 2"),
        java.util.Map.entry("zero-seeds.conf", "experiment = \"base.conf\"\ngrid { \"data.dim\" = [10] }\nseeds = 0"),
        java.util.Map.entry("unknown-sweep-key.conf", "experiment = \"base.conf\"\ngrid { \"data.dim\" = [10] }\nbogus = 1\nseeds = 2"),
        java.util.Map.entry("set-overrides-grid.conf", "experiment = \"base.conf\"\ngrid { \"data.dim\" = [10] }\nset { data.dim = 5 }\nseeds = 2"),
        java.util.Map.entry("unnamed-variant.conf", "experiment = \"base.conf\"\ngrid { variant = [ { training.rule = sgd } ] }\nseeds = 2"),
        java.util.Map.entry("bad-curve-metric.conf", "experiment = \"base.conf\"\ngrid { \"data.dim\" = [10] }\ncurves { metrics = [max-cos-9] }\nseeds = 2"),
        java.util.Map.entry("bad-curve-x.conf", "experiment = \"base.conf\"\ngrid { \"data.dim\" = [10] }\ncurves { x = hours }\nseeds = 2"),
        java.util.Map.entry("bad-fits.conf", "experiment = \"base.conf\"\ngrid { \"data.dim\" = [10] }\nfits { resamples = -1 }\nseeds = 2"),
        java.util.Map.entry("bad-grid-expression.conf", "experiment = \"base.conf\"\ngrid { \"training.batch-size\" = [2, \"d^^2\"] }\nseeds = 2"),
        java.util.Map.entry("huge-point.conf", "experiment = \"base.conf\"\ngrid { \"data.dim\" = [20, 16777216] }\nset { pipeline.generators = 1 }\nseeds = 2"),
        java.util.Map.entry("overflow-point.conf", "experiment = \"base.conf\"\ngrid { \"student.width\" = [2, 65536] }\nseeds = 2"));

    /** Damaged run folders handed to resume: how the folder is damaged, and the exact line. */
    static Stream<Arguments> damagedRuns()
    {
        return Stream.of(
            Arguments.of("config-edited", "sgdsim: checkpoint @run/checkpoints/step-000000000000300.ckpt does not fit @run/config.conf: it holds 40 first-layer weights, the configured student has 42 (was config.conf edited?)"),
            Arguments.of("all-checkpoints-damaged", "sgdsim: no intact checkpoint in @run (3 damaged: checkpoint @run/checkpoints/step-000000000000300.ckpt is damaged (checksum mismatch), …); 'sgdsim resume --restart' starts the run over"),
            Arguments.of("checkpoints-not-a-directory", "sgdsim: @run/checkpoints is not a directory; a run folder keeps its checkpoints there"),
            Arguments.of("finished", "sgdsim: run @run has finished (summary.json); nothing to resume"),
            Arguments.of("config-syntax", "sgdsim: @run/config.conf: 1: Expecting close brace } or a comma, got end of file"),
            Arguments.of("config-unknown-key", "sgdsim: config.conf:1: unknown key 'data.dimension'"),
            Arguments.of("set-outside-stop", "sgdsim: --set data.dim: resume takes stop.* keys only (e.g. stop.max-wall=2h); the rest of a run is fixed by its config.conf and checkpoints"),
            Arguments.of("bad-fresh-budget", "sgdsim: --set: stop.max-wall: expected none or a positive duration with its unit (2h, 90m, 30s, 500ms), got 'tomorrow'"));
    }

    @ParameterizedTest(name = "resume: {0}")
    @MethodSource("damagedRuns")
    void resumeOfADamagedRunIsRefusedAndChangesNothing(final String damage, final String expected) throws IOException
    {
        final Path base = tmp.resolve("base.conf");
        Files.writeString(base, BASE.replace("He2", "relu").replace("0.5/d", "0.2"));
        final Path run = tmp.resolve("run");
        assertEquals(0, Main.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(new StringWriter()))
            .execute("run", base.toString(), "-q", "--out", run.toString(), "--set", "stop.max-steps=400",
                "--set", "checkpoint.every-steps=100"));
        final Path checkpoints = run.resolve("checkpoints");
        if (!"finished".equals(damage))
        {
            Files.delete(run.resolve("summary.json")); // as after a crash
        }
        switch (damage)
        {
            case "config-edited" -> Files.writeString(run.resolve("config.conf"),
                Files.readString(run.resolve("config.conf")).replace("dim=20", "dim=21"));
            case "all-checkpoints-damaged" -> {
                try (Stream<Path> files = Files.list(checkpoints))
                {
                    for (final Path f : files.toList())
                    {
                        final byte[] bytes = Files.readAllBytes(f);
                        bytes[bytes.length / 2] ^= 0x10;
                        Files.write(f, bytes);
                    }
                }
            }
            case "checkpoints-not-a-directory" -> {
                try (Stream<Path> files = Files.list(checkpoints))
                {
                    for (final Path f : files.toList())
                    {
                        Files.delete(f);
                    }
                }
                Files.delete(checkpoints);
                Files.writeString(checkpoints, "not a folder");
            }
            case "config-syntax" -> Files.writeString(run.resolve("config.conf"), "data { dim = 20 ");
            case "config-unknown-key" -> Files.writeString(run.resolve("config.conf"), "data.dimension = 20\n"
                + Files.readString(run.resolve("config.conf")));
            default -> { }
        }
        final java.util.Map<Path, String> before = snapshot(run);
        final StringWriter err = new StringWriter();
        final List<String> resume = new ArrayList<>(List.of("resume", run.toString(), "-q"));
        switch (damage)
        {
            case "set-outside-stop" -> resume.addAll(List.of("--set", "data.dim=21"));
            case "bad-fresh-budget" -> resume.addAll(List.of("--set", "stop.max-wall=tomorrow"));
            default -> { }
        }
        final int code = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
            .execute(resume.toArray(String[]::new));
        assertEquals(2, code, err.toString());
        assertEquals(expected.replace("@run", run.toString()), err.toString().strip());
        assertEquals(before, snapshot(run), "the run folder is unchanged");
    }

    private static java.util.Map<Path, String> snapshot(final Path dir) throws IOException
    {
        final java.util.Map<Path, String> files = new java.util.TreeMap<>();
        try (Stream<Path> all = Files.walk(dir))
        {
            for (final Path f : all.filter(Files::isRegularFile).toList())
            {
                files.put(dir.relativize(f), java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
        return files;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void exactOneLineExitTwoNothingWritten(final List<String> args, final String expected) throws IOException
    {
        final Path base = tmp.resolve("base.conf");
        Files.writeString(base, BASE);
        Files.writeString(tmp.resolve("syntax.conf"), "data { dim = 3 ");
        for (final java.util.Map.Entry<String, String> sweep : SWEEPS.entrySet())
        {
            Files.writeString(tmp.resolve(sweep.getKey()), sweep.getValue());
        }
        final Path runs = tmp.resolve("runs");
        final List<String> actual = new ArrayList<>();
        for (final String a : args)
        {
            actual.add(a.replace("@base", base.toString()).replace("@syntax", tmp.resolve("syntax.conf").toString())
                .replace("@tmp", tmp.toString()));
        }
        if (List.of("run", "sweep", "theory").contains(actual.get(0)) && actual.size() > 1)
        {
            actual.add("--set");
            actual.add("output.dir=" + runs);
        }
        if ("sweep".equals(actual.get(0)))
        {
            actual.add("--out");
            actual.add(runs.resolve("sweep").toString());
        }
        final StringWriter err = new StringWriter();
        final int code = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
            .execute(actual.toArray(String[]::new));
        assertEquals(2, code, err.toString());
        assertEquals(expected.replace("@base", base.toString()).replace("@tmp", tmp.toString())
            .replace("@heap", org.sgdsim.experiment.Footprint.gib(Runtime.getRuntime().maxMemory())), err.toString().strip());
        assertFalse(Files.exists(runs), "nothing written");
    }
}
