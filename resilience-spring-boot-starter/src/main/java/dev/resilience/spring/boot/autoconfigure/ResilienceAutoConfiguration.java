package dev.resilience.spring.boot.autoconfigure;

import dev.resilience.Pushback;
import dev.resilience.TimeSource;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.GuardListenerFactory;
import dev.resilience.spring.RetryBudgets;
import dev.resilience.spring.aop.GuardedMethodScanner;
import dev.resilience.spring.aop.MethodGuards;
import dev.resilience.spring.aop.ResilienceAdvisor;
import dev.resilience.spring.boot.task.ApplicationTimeSource;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.scheduling.TaskScheduler;

/**
 * Auto-configuration of {@code @Breaker} and {@code @Retry}: the breakers from {@code resilience.breaker.*} and from
 * the annotations found on beans, the time source, and the advisor that runs annotated methods through their
 * guards. A user's {@link BreakerRegistry} or {@link TimeSource} bean replaces the starter's (a {@code TimeSource}
 * replaces both the clock and where asynchronous retries run).
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration",
        "org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration" })
@EnableConfigurationProperties(ResilienceProperties.class)
@Import(ResilienceAutoConfiguration.AutoProxyRegistrar.class)
public final class ResilienceAutoConfiguration {

    /** The name of Spring Boot's task executor bean, where asynchronous retries run. */
    static final String APPLICATION_TASK_EXECUTOR = "applicationTaskExecutor";

    /**
     * The system's clock, with asynchronous retries run on the application's task execution and with their
     * caller's context (see {@link ApplicationTimeSource}): its {@code TaskScheduler} if it has one (else one built
     * with Boot's {@link SimpleAsyncTaskSchedulerBuilder}), and Boot's {@code applicationTaskExecutor}.
     */
    @Bean
    @ConditionalOnMissingBean(TimeSource.class)
    ApplicationTimeSource resilienceTimeSource(ObjectProvider<TaskScheduler> schedulers,
            ObjectProvider<SimpleAsyncTaskSchedulerBuilder> builders, BeanFactory beanFactory) {
        return new ApplicationTimeSource(schedulers::getIfUnique,
                () -> builders.getIfAvailable(SimpleAsyncTaskSchedulerBuilder::new),
                () -> beanFactory.containsBean(APPLICATION_TASK_EXECUTOR)
                        ? beanFactory.getBean(APPLICATION_TASK_EXECUTOR, Executor.class) : null);
    }

    @Bean
    @ConditionalOnMissingBean
    BreakerRegistry breakerRegistry(ResilienceProperties properties, TimeSource time) {
        return new DeclaredBreakerRegistry(ResilienceSettings.declaredBreakers(properties), time);
    }

    @Bean
    @ConditionalOnMissingBean
    RetryBudgets resilienceRetryBudgets(ResilienceProperties properties, BreakerRegistry registry, TimeSource time) {
        return new ConfiguredRetryBudgets(properties, registry, time);
    }

    @Bean
    @ConditionalOnMissingBean
    MethodGuards resilienceMethodGuards(ResilienceProperties properties, BreakerRegistry registry, TimeSource time,
            ObjectProvider<GuardListenerFactory> listenerFactories, ObjectProvider<RetryBudgets> budgets,
            ObjectProvider<Pushback> pushbacks) {
        AnnotatedBreakers breakers = new AnnotatedBreakers(registry, properties.getBreaker().isRequireDeclared(),
                () -> ResilienceSettings.defaultBreaker(properties));
        RetryBudgets retryBudgets = budgets.getIfAvailable();
        return new MethodGuards(breakers, ResilienceSettings.retryDefaults(properties), time,
                () -> listenerFactories.orderedStream().toList(),
                name -> retryBudgets == null ? Optional.empty() : retryBudgets.find(name),
                () -> Pushbacks.of(pushbacks.orderedStream().toList()));
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static ResilienceAdvisor resilienceAdvisor(ObjectProvider<MethodGuards> guards) {
        return new ResilienceAdvisor(guards::getObject);
    }

    @Bean
    static GuardedMethodScanner resilienceGuardedMethodScanner(ObjectProvider<MethodGuards> guards) {
        return new GuardedMethodScanner(guards::getObject);
    }

    /**
     * Makes sure an auto-proxy creator exists even when Spring Boot's AOP auto-configuration is off; it keeps the
     * creator, and the class-proxying setting, that is already there.
     */
    static final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }
}
