import sys

from spectrum_desktop.app import main

sys.exit(main())
