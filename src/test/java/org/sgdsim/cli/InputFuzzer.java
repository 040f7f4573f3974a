package org.sgdsim.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import com.typesafe.config.ConfigValue;
import org.sgdsim.experiment.config.ExperimentConfig;

/**
 * A seeded generator of what users type: a shipped experiment or sweep file, mutated (duplicated sections, misspelt
 * keys, garbage lines, truncation, odd encodings), with {@code --set} lines of wrong types, boundary and overflowing
 * numbers and pathological expressions. The same seed always gives the same case, so a failure replays from its seed.
 */
final class InputFuzzer
{
    /** The experiment files a case starts from. */
    static final List<String> EXPERIMENTS = List.of("quickstart.conf", "he3-correlation-large-batch.conf",
        "staircase-displaced.conf", "phase-retrieval.conf", "saad-solla-erf.conf", "reused-batch-gd.conf",
        "dfa-digits-dfa.conf", "dfa-digits-opu.conf", "dfa-teacher-student.conf");
    private static final List<String> KEYS = keys();
    private static final String[] NUMBERS = {"0", "-1", "1", "2", "1.5", "-0.0", "2147483647", "2147483648",
        "-2147483649", "9223372036854775807", "9223372036854775808", "1e308", "-1e308", "1e-320", "16777216",
        "16777217", "65536", "65537", "1048576", "10000000", "1e15", "4.9e-324", "0x10", "1_000", "NaN", "Infinity"};
    private static final String[] WORDS = {"abc", "true", "null", "none", "auto", "online", "log", "[]", "[1, 2]",
        "{}", "{a = 1}", "\"\"", "\" \"", "lowrank", "dfa", "opu", "relu", "He2", "sgd", "gd", "${nothing}",
        "\"\\u0000\"", "ä", "𝑑", "d×2", "[64, 65536, 65536, 10]", "[64, 0, 10]", "[64, -5, 10]", "[64, 1.5, 10]",
        "{metric = max-cos-1, above = 0.5}", "{metric = risk, below = -1}", "{M0 = [[1]], Q0 = [[1]]}"};
    private static final String[] FUNCTIONS = {"He2", "He3", "He8", "He9", "He0", "tanh", "relu", "sign", "erf",
        "max", "min", "abs", "exp", "log", "sqrt", "foo", "sin", "He", "z1", ""};

    private final SplittableRandom random;
    private final long seed;

    InputFuzzer(final long seed)
    {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** One case: the command line (with @file for the written file) and the bytes of the file to write. */
    record Case(long seed, String kind, List<String> args, byte[] file)
    {
        /** How to read the case in a failure message. */
        String describe()
        {
            return "fuzz case seed " + seed + " (" + kind + "): " + args + " with file "
                + new String(file, StandardCharsets.UTF_8).replace("\n", "\\n");
        }
    }

    /** An experiment case: a mutated shipped experiment and a few --set lines. */
    Case experiment(final Path conf) throws IOException
    {
        final String name = EXPERIMENTS.get(random.nextInt(EXPERIMENTS.size()));
        final String text = Files.readString(conf.resolve("experiments").resolve(name));
        final List<String> args = new ArrayList<>();
        final int sets = random.nextInt(4);
        for (int i = 0; i < sets; i++)
        {
            args.add("--set");
            args.add(setLine());
        }
        final boolean mutate = random.nextInt(3) > 0 || sets == 0;
        return new Case(seed, name, args, mutate ? mutateFile(text) : text.getBytes(StandardCharsets.UTF_8));
    }

    /** A sweep case: a small sweep over {@code base.conf} with a mutated grid, seeds or set section. */
    Case sweep()
    {
        final StringBuilder s = new StringBuilder("experiment = \"base.conf\"\n");
        final String key = random.nextInt(4) == 0 ? misspell(pick(KEYS)) : pick(List.of("data.dim", "student.width",
            "training.batch-size", "training.learning-rate", "data.block-size", "metrics.risk-samples", pick(KEYS)));
        s.append("grid { \"").append(key).append("\" = [").append(value()).append(random.nextBoolean() ? ", " + value() : "")
            .append("] }\n");
        s.append("seeds = ").append(random.nextInt(5) == 0 ? pick(NUMBERS) : Integer.toString(1 + random.nextInt(2))).append('\n');
        if (random.nextBoolean())
        {
            s.append("set { ").append(setLine().replaceFirst("=", " = ")).append(" }\n");
        }
        if (random.nextInt(4) == 0)
        {
            s.append(pick(List.of("grid { \"data.dim\" = [10] }\n", "curves { metrics = [risk], x = steps }\n",
                "fits { resamples = 100 }\n", "time-model { workers = 0 }\n", "name = \"a b\"\n", "bogus = 1\n")));
        }
        final List<String> args = new ArrayList<>();
        if (random.nextInt(3) == 0)
        {
            args.add("--set");
            args.add(setLine());
        }
        return new Case(seed, "sweep", args, mutateBytes(s.toString()));
    }

    /** A {@code key=value} line: a known, misspelt or unknown key and a value of any shape. */
    String setLine()
    {
        final int r = random.nextInt(10);
        final String key = r == 0 ? misspell(pick(KEYS)) : r == 1 ? pick(List.of("data", "bogus.key", "student..width",
            "\"data.dim\"", "data.dim.x", " ", "a=b")) : pick(KEYS);
        return key + "=" + value();
    }

    private String value()
    {
        return switch (random.nextInt(5))
        {
            case 0 -> pick(NUMBERS);
            case 1 -> pick(List.of(WORDS));
            case 2, 3 -> "\"" + expression(0) + "\"";
            default -> pathological();
        };
    }

    /** A random expression in d, nb, p, k and z1..z3, with functions, powers and the odd mistake. */
    private String expression(final int depth)
    {
        if (depth > 4 || random.nextInt(3) == 0)
        {
            return pick(List.of("d", "nb", "p", "k", "z1", "z2", "z3", "z0", "x", "2", "0.5", "1e3", "-1", "0", "1e308"));
        }
        return switch (random.nextInt(8))
        {
            case 0 -> expression(depth + 1) + pick(List.of("+", "-", "*", "/", "^", "^^", "**", "%")) + expression(depth + 1);
            case 1 -> pick(List.of(FUNCTIONS)) + "(" + expression(depth + 1) + ")";
            case 2 -> pick(List.of("max", "min")) + "(" + expression(depth + 1) + ", " + expression(depth + 1) + ")";
            case 3 -> "(" + expression(depth + 1);
            case 4 -> expression(depth + 1) + ")";
            case 5 -> "-" + expression(depth + 1);
            default -> "(" + expression(depth + 1) + ")";
        };
    }

    /** Expressions built to break parsers and evaluators: deep nesting, huge exponents, long text. */
    private String pathological()
    {
        final int n = 1 + random.nextInt(20_000);
        return "\"" + switch (random.nextInt(7))
        {
            case 0 -> "(".repeat(n) + "d" + ")".repeat(n);
            case 1 -> "-".repeat(n) + "d";
            case 2 -> "d" + "^d".repeat(Math.min(n, 200));
            case 3 -> "10^" + n + "^" + n;
            case 4 -> "He2(".repeat(Math.min(n, 3000)) + "z1" + ")".repeat(Math.min(n, 3000));
            case 5 -> "d*".repeat(Math.min(n, 5000)) + "d";
            default -> "1" + "0".repeat(Math.min(n, 400));
        } + "\"";
    }

    private byte[] mutateFile(final String text)
    {
        String t = text;
        final int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++)
        {
            t = switch (random.nextInt(7))
            {
                // a duplicated section: the second one merges over the first
                case 0 -> t + "\n" + pick(List.of("training {\n  batch-size = " + pick(NUMBERS) + "\n}",
                    "data {\n  dim = " + pick(NUMBERS) + "\n}", "student { width = " + pick(NUMBERS) + " }",
                    "network { widths = " + pick(List.of(WORDS)) + " }", "stop { max-steps = " + pick(NUMBERS) + " }",
                    "dfa { batch-size = " + pick(NUMBERS) + ", epochs = " + pick(NUMBERS) + " }"));
                case 1 -> t + "\n" + setLine().replaceFirst("=", " = ");
                case 2 -> t.substring(0, random.nextInt(t.length() + 1));
                case 3 -> t.replaceFirst("(?m)^(\\s*)([a-z])", "$1" + (char)('a' + random.nextInt(26)) + "$2");
                case 4 -> t + "\n" + pick(List.of("}", "{", "[", "include \"nothing.conf\"", "a = ${b}", "= 3", "\"",
                    "data.dim = [1, 2", "experiment.kind = " + pick(List.of("dfa", "online", "both"))));
                case 5 -> t.replace("=", pick(List.of("=", ":", " ", "==")));
                default -> t;
            };
        }
        return mutateBytes(t);
    }

    /** Odd encodings: a byte-order mark, Latin-1, NUL bytes, CRLF line ends or invalid UTF-8. */
    private byte[] mutateBytes(final String text)
    {
        return switch (random.nextInt(8))
        {
            case 0 -> concat(new byte[] {(byte)0xEF, (byte)0xBB, (byte)0xBF}, text.getBytes(StandardCharsets.UTF_8));
            case 1 -> (text + "\n# é ü ß").getBytes(StandardCharsets.ISO_8859_1);
            case 2 -> concat(text.getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, '\n'});
            case 3 -> text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
            case 4 -> concat(text.getBytes(StandardCharsets.UTF_8), new byte[] {'\n', 'x', '=', (byte)0xC3, (byte)0x28});
            default -> text.getBytes(StandardCharsets.UTF_8);
        };
    }

    private String misspell(final String key)
    {
        final char[] c = key.toCharArray();
        final int i = random.nextInt(c.length);
        return switch (random.nextInt(3))
        {
            case 0 -> key.substring(0, i) + key.substring(Math.min(key.length(), i + 1));
            case 1 -> key.substring(0, i) + (char)('a' + random.nextInt(26)) + key.substring(i);
            default -> key.replace('-', '_');
        };
    }

    private <T> T pick(final List<T> values)
    {
        return values.get(random.nextInt(values.size()));
    }

    private String pick(final String[] values)
    {
        return values[random.nextInt(values.length)];
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<String> keys()
    {
        final TreeSet<String> keys = new TreeSet<>();
        for (final Map.Entry<String, ConfigValue> e : ExperimentConfig.defaults().entrySet())
        {
            keys.add(e.getKey());
        }
        keys.add("student.init.M0");
        keys.add("stop.when.metric");
        return List.copyOf(keys);
    }
}
