package io.ensign.itests;

import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * What every Pax Exam test of the server shares, after Apache Felix HTTP's {@code BaseIntegrationTest}: one Felix
 * per class with the server's bundles ({@link EnsignConfiguration#options}), a new home directory whose
 * {@code data/} is the server's data directory, the injected bundle context, and a driver of the server's HTTP,
 * ready before each test. A subclass adds its own options in {@link #options(Path)}. This is the one
 * {@code @Configuration} method: Pax Exam takes public ones of superclasses too, and boots one container for each.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public abstract class FrameworkServerTest {
    protected static final String ADMIN = EnsignConfiguration.ADMIN_TOKEN;
    // The tests run inside the framework, not in the instance configuration() ran on: the home travels as a property.
    private static final String HOME = "ensign.it.home";

    @Inject
    protected BundleContext context;
    protected HttpDriver http;

    @Configuration
    public final Option[] configuration() throws Exception {
        Path home = Files.createTempDirectory("ensign-" + getClass().getSimpleName());
        return OptionUtils.combine(EnsignConfiguration.options(EnsignConfiguration.freePort(), home.resolve("data")),
                OptionUtils.combine(options(home), frameworkProperty(HOME).value(home.toString())));
    }

    /** This test's options beyond the server's; {@code home} is its home directory, to prepare before the start. */
    protected Option[] options(Path home) throws Exception {
        return new Option[0];
    }

    @Before
    public void connect() throws InterruptedException {
        http = new HttpDriver(context).awaitReady();
    }

    /** {@code path} in the home directory. */
    protected Path home(String path) {
        return Path.of(context.getProperty(HOME), path);
    }
}
