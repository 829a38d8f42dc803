import { TailnetApp } from '../src';
import { ClawbernetesStack } from './clawbernetes';
import { HomelabcmdStack } from './homelabcmd';
import { JunePlatformStack } from './june-platform';
import { JunePlatformOperatorStack } from './june-platform-operator';
import { KernelcoreStack } from './kernelcore';

/** The cdktf app entry (cdktf.json `app`): every example stack in one app. `tailnet-cdk synth` runs this file. */
const app = new TailnetApp();
new KernelcoreStack(app);
new JunePlatformStack(app);
new JunePlatformOperatorStack(app);
new HomelabcmdStack(app);
new ClawbernetesStack(app);
app.synth();
