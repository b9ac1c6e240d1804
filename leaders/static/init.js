// Start GOV.UK Frontend's components (details, error summary focus, password reveal, notification banners).
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();
