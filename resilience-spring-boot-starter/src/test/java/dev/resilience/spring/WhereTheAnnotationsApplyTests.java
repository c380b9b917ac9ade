package dev.resilience.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.BreakerOpenException;
import dev.resilience.annotation.Breaker;
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanNameAware;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;

/**
 * Which methods of a class-annotated bean are guarded, through the starter's real proxies (class proxies, as Spring
 * Boot's AOP auto-configuration makes them by default).
 */
class WhereTheAnnotationsApplyTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.breaker.instances.payments.window-size=10",
                    "resilience.breaker.instances.payments.minimum-calls=10");

    @Test
    void aClassAnnotatedBeansLifecycleCallbacksAndAwareSettersAreNotGuarded() {
        runner.withBean(Poller.class).run(context -> {
            // given a started bean, its breaker forced open
            assertThat(context).hasNotFailed();
            Poller poller = context.getBean(Poller.class);
            BreakerRegistry registry = context.getBean(BreakerRegistry.class);
            assertThat(registry.breaker("payments").snapshot().bufferedCalls())
                    .as("setBeanName and start, called by the context, are no calls of the dependency").isZero();
            registry.breaker("payments").forceOpen();

            // when
            boolean running = poller.isRunning();
            int order = poller.getOrder();
            Throwable poll = catchThrowable(poller::poll);

            // then
            assertThat(AopUtils.isCglibProxy(poller)).isTrue();
            assertThat(running).isTrue();
            assertThat(order).isEqualTo(7);
            assertThat(poller.beanName()).isNotNull();
            assertThat(poll).isInstanceOf(BreakerOpenException.class);
            assertThat(registry.breaker("payments").snapshot().rejectedCalls()).isEqualTo(1);
        });
    }

    @Test
    void aClassAnnotatedBeanInheritingPublicFinalMethodsStartsAndLeavesThemUnguarded() {
        // regression: such a bean (one extending JdbcDaoSupport, say) failed startup
        runner.withBean(AccountDao.class).run(context -> {
            assertThat(context).hasNotFailed();
            AccountDao dao = context.getBean(AccountDao.class);
            context.getBean(BreakerRegistry.class).breaker("payments").forceOpen();

            assertThat(dao.template()).isEqualTo("template");
            assertThat(catchThrowable(dao::find)).isInstanceOf(BreakerOpenException.class);
        });
    }

    @Test
    void anInheritedMethodOfAnUnannotatedSuperclassIsNotGuarded() {
        runner.withBean(AccountDao.class).run(context -> {
            AccountDao dao = context.getBean(AccountDao.class);
            context.getBean(BreakerRegistry.class).breaker("payments").forceOpen();

            assertThat(dao.lookup()).isEqualTo("lookup");
        });
    }

    @Test
    void anInheritedMethodOfAnAnnotatedSuperclassIsGuardedButNotItsFinalOne() {
        runner.withBean(GuardedChild.class).run(context -> {
            assertThat(context).hasNotFailed();
            GuardedChild child = context.getBean(GuardedChild.class);
            context.getBean(BreakerRegistry.class).breaker("payments").forceOpen();

            assertThat(catchThrowable(child::open)).isInstanceOf(BreakerOpenException.class);
            assertThat(child.fixed()).isEqualTo("fixed");
        });
    }

    @Breaker("payments")
    static class Poller implements SmartLifecycle, BeanNameAware, Ordered {

        private volatile boolean running;
        private volatile String beanName;

        public String poll() {
            return "polled";
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getOrder() {
            return 7;
        }

        @Override
        public void setBeanName(String name) {
            beanName = name;
        }

        String beanName() {
            return beanName;
        }
    }

    /** Like Spring's JdbcDaoSupport: public final methods, and no annotation. */
    abstract static class DaoSupport {

        public final String template() {
            return "template";
        }

        public String lookup() {
            return "lookup";
        }
    }

    @Breaker("payments")
    static class AccountDao extends DaoSupport {

        public String find() {
            return "found";
        }
    }

    @Breaker("payments")
    abstract static class GuardedSupport {

        public final String fixed() {
            return "fixed";
        }

        public String open() {
            return "open";
        }
    }

    static class GuardedChild extends GuardedSupport {
    }
}
