package dev.flowline.embedded.kafka;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of the broker's child JVM: runs the real main class and exits when the parent process is gone, so a
 * test JVM or launcher killed with SIGKILL never leaves a broker behind. Usage:
 * {@code ParentWatchdog <parent-pid> <main-class> [args...]}.
 */
public final class ParentWatchdog {

    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Exception {
        long parentPid = Long.parseLong(args[0]);
        Thread watcher = new Thread(() -> {
            ProcessHandle.of(parentPid).ifPresent(parent -> parent.onExit().join());
            // A normal exit runs the broker's own shutdown hook, which closes the log cleanly.
            System.exit(0);
        }, "parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }
}
