package dev.resilience.spring.aop;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The classes of the beans that startup did not create (lazy singletons, prototypes, beans of other scopes, and
 * the objects of factory beans not asked for yet), read from their bean definitions without creating them: no bean
 * is created and no {@code FactoryBean} initialised to find them. A type that cannot be told without that (such as
 * an uninitialised factory bean's object, or a {@code @Bean} method that declares an interface) is the declared one
 * or none; the bean's own class is checked when it is created.
 */
final class UncreatedBeans {

    private static final Log LOG = LogFactory.getLog(UncreatedBeans.class);

    private UncreatedBeans() {
    }

    static List<Class<?>> types(ConfigurableListableBeanFactory beanFactory) {
        Set<Class<?>> types = new LinkedHashSet<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            try {
                if (created(beanFactory, name) || beanFactory.getMergedBeanDefinition(name).isAbstract()) {
                    continue;
                }
                Class<?> type = beanFactory.getType(name, false);
                if (type != null) {
                    types.add(ClassUtils.getUserClass(type));
                }
            } catch (BeansException ex) {
                LOG.debug("The type of bean '" + name + "' cannot be told without creating it, so its @Retry and"
                        + " @Breaker annotations are checked when it is created", ex);
            }
        }
        return List.copyOf(types);
    }

    /** Created, and seen by the scanner then: a singleton that is not a factory of other objects. */
    private static boolean created(ConfigurableListableBeanFactory beanFactory, String name) {
        return beanFactory.containsSingleton(name) && !beanFactory.isFactoryBean(name);
    }
}
