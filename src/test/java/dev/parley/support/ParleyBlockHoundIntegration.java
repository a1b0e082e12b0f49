package dev.parley.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Test-suite BlockHound rules: only what is not ours to fix. Everything of Parley's
 * that blocks (JDBC, file I/O) runs on its own schedulers and needs no exception here.
 */
public class ParleyBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // log output to the console is synchronous by design; a logging pipeline is not the code under test
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes");
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend");
    }
}
