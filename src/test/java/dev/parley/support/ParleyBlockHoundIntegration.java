package dev.parley.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-suite BlockHound rules. Everything of Parley's that blocks (JDBC, file I/O) runs on
 * its own threads and needs no exception here. Every violation is also recorded, because
 * the error BlockHound throws can be swallowed by an operator's error handling; the
 * full-stack tests fail on any recorded violation ({@link NoBlockingCalls}).
 */
public class ParleyBlockHoundIntegration implements BlockHoundIntegration {
    static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // log output to the console is synchronous by design; a logging pipeline is not the code under test
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes");
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend");
        // Netty 4.2's default allocator briefly locks while it grows its magazines (rare, by design);
        // BlockHound's error thrown from inside it would break the allocator mid-read
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
        // an io_uring event loop being destroyed spins until its ring is closed: the loop's last act, not traffic
        builder.allowBlockingCallsInside("io.netty.channel.uring.IoUringIoHandler", "destroy");
        builder.blockingMethodCallback(method -> {
            BlockingOperationError error = new BlockingOperationError(method);
            StringBuilder where = new StringBuilder(method + " on " + Thread.currentThread().getName());
            for (StackTraceElement frame : error.getStackTrace()) {
                where.append("\n    at ").append(frame);
            }
            VIOLATIONS.add(where.toString());
            throw error;
        });
    }
}
