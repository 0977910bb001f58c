package io.bantin.support;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound (with the integrations listed under META-INF/services, {@link TestBlockHoundIntegration})
 * before the first test of every test JVM, so a blocking call on a non-blocking thread fails the test that made it.
 * <p>
 * At the start of the test plan, not when the listener is loaded (as blockhound-junit-platform's does): with more
 * than one fork, surefire and failsafe also load the listeners in Maven's own JVM to list the tests, and BlockHound
 * cannot install there (no {@code -XX:+AllowRedefinitionToAddDeleteMethods}); no test plan runs there.
 */
public class BlockHoundListener implements TestExecutionListener {

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        BlockHound.install(); // idempotent: a second install in the same JVM does nothing
    }
}
