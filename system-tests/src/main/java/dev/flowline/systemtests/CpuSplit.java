package dev.flowline.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the CPU of a load run went, from Linux's {@code /proc}: the service process, the PostgreSQL server (the
 * postmaster and its backends, live and exited), the Kafka broker's process and the driver's JVM, against what the
 * machine had. A reader of the report sees which part saturates the machine.
 */
final class CpuSplit {

    /** USER_HZ: the unit of the times in /proc/[pid]/stat on Linux. */
    private static final double TICKS_PER_SECOND = 100;

    /** CPU seconds so far of each part, and the machine's elapsed time. */
    record Sample(long at, double service, double postgres, double kafka, double driverJvm) {
    }

    private final long servicePid;
    private final long kafkaPid;
    private final int postgresPort;

    CpuSplit(long servicePid, long kafkaPid, int postgresPort) {
        this.servicePid = servicePid;
        this.kafkaPid = kafkaPid;
        this.postgresPort = postgresPort;
    }

    Sample sample() {
        return new Sample(System.nanoTime(), processSeconds(servicePid), postgresSeconds(), processSeconds(kafkaPid),
                processSeconds(ProcessHandle.current().pid()));
    }

    /** The report line for what happened between {@code before} and {@code after}. */
    static String format(Sample before, Sample after) {
        double wall = (after.at() - before.at()) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        double service = after.service() - before.service();
        double postgres = after.postgres() - before.postgres();
        double kafka = after.kafka() - before.kafka();
        double driver = after.driverJvm() - before.driverJvm();
        double total = service + postgres + kafka + driver;
        return String.format(
                "  CPU over %.1f s on %d cores (%% of one core): service %.0f%%, PostgreSQL %.0f%%, Kafka broker"
                        + " %.0f%%, load driver %.0f%%; together %.0f%% of the machine's %d%%",
                wall, cores,
                100 * service / wall, 100 * postgres / wall, 100 * kafka / wall, 100 * driver / wall, 100 * total
                        / wall,
                cores * 100);
    }

    private double postgresSeconds() {
        Long postmaster = null;
        List<long[]> all = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                if (postmaster == null && commandLine(pid).contains("-p " + postgresPort)) {
                    postmaster = pid;
                }
                long[] stat = stat(pid);
                if (stat != null) {
                    all.add(new long[]{pid, stat[4], stat[0] + stat[1], stat[2] + stat[3]});
                }
            }
        } catch (IOException e) {
            return 0;
        }
        if (postmaster == null) {
            return 0;
        }
        long ticks = 0;
        for (long[] process : all) {
            if (process[0] == postmaster) {
                // Its own time plus that of backends that have exited.
                ticks += process[2] + process[3];
            } else if (process[1] == postmaster) {
                ticks += process[2];
            }
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static double processSeconds(long pid) {
        long[] stat = stat(pid);
        return stat == null ? 0 : (stat[0] + stat[1]) / TICKS_PER_SECOND;
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** utime, stime, cutime, cstime, ppid of {@code pid}, or null when it is gone. */
    private static long[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces: the fields after it start past its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[]{Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                    Long.parseLong(fields[14]), Long.parseLong(fields[1])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
