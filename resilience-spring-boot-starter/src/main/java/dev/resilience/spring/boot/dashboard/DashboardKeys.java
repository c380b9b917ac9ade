package dev.resilience.spring.boot.dashboard;

import java.beans.PropertyDescriptor;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * Tells the starter's check for unknown keys under {@code resilience.} (which fails startup on a key that its
 * {@code ResilienceProperties} does not bind) that the keys of {@link DashboardProperties} are known: they are
 * bound by that class, not by {@code ResilienceProperties}. Any other unknown key still fails startup, a misspelled
 * {@code resilience.dashboard.*} one included.
 */
final class DashboardKeys implements ConfigurationPropertiesBindHandlerAdvisor {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("resilience");
    private static final String PREFIX = "resilience.dashboard";

    private final Set<ConfigurationPropertyName> known = Arrays
            .stream(BeanUtils.getPropertyDescriptors(DashboardProperties.class))
            .filter(descriptor -> descriptor.getWriteMethod() != null)
            .map(PropertyDescriptor::getName)
            .map(name -> ConfigurationPropertyName.of(PREFIX + "." + kebab(name)))
            .collect(Collectors.toUnmodifiableSet());

    @Override
    public BindHandler apply(BindHandler handler) {
        return new AbstractBindHandler(handler) {
            @Override
            public void onFinish(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                    Object result) throws Exception {
                try {
                    super.onFinish(name, target, context, result);
                } catch (UnboundConfigurationPropertiesException unbound) {
                    if (context.getDepth() != 0 || !ROOT.equals(name)) {
                        throw unbound;
                    }
                    Set<ConfigurationProperty> unknown = unbound.getUnboundProperties().stream()
                            .filter(property -> !known.contains(property.getName()))
                            .collect(Collectors.toCollection(LinkedHashSet::new));
                    if (!unknown.isEmpty()) {
                        throw unknown.size() == unbound.getUnboundProperties().size() ? unbound
                                : new UnboundConfigurationPropertiesException(unknown);
                    }
                }
            }
        };
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** @return the keys accepted, such as {@code resilience.dashboard.enabled} */
    Set<ConfigurationPropertyName> known() {
        return known;
    }
}
