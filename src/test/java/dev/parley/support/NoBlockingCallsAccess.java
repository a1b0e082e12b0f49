package dev.parley.support;

/** For the one test that provokes a violation on purpose. */
public final class NoBlockingCallsAccess {
    private NoBlockingCallsAccess() {
    }

    public static void clear() {
        ParleyBlockHoundIntegration.VIOLATIONS.clear();
    }
}
