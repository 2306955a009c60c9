#include "scenarios/basic_scenario.h"

#include "scenarios/listing_text.h"

#include <utility>

namespace poolscope::scenarios {

BasicScenario::BasicScenario(ScenarioDescription description)
    : description_(std::move(description))
    , cpp_listing_(dedent_listing(description_.marked_run_body))
{
}

} // namespace poolscope::scenarios
