"""The agent loop, its tools, the workspace and the run log. Imports no Textual.

litellm must read its model cost map from the copy it ships instead of fetching it over the network,
and it reads that setting when it is first imported; every path to litellm goes through this package.
"""

import os

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
