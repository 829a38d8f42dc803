import { TailnetApp } from '../src';
import { ClawbernetesStack } from './clawbernetes';
import { ClawbernetesAirgappedStack } from './clawbernetes-airgapped';
import { HomelabcmdStack } from './homelabcmd';
import { HttpDispatcherStack } from './http-dispatcher';
import { JunePlatformStack } from './june-platform';
import { JunePlatformOperatorStack } from './june-platform-operator';
import { KernelcoreStack } from './kernelcore';

/** The cdktf app entry (cdktf.json `app`): every example stack in one app. `tailnet-cdk synth` runs this file. */
const app = new TailnetApp();
new KernelcoreStack(app);
new JunePlatformStack(app);
new JunePlatformOperatorStack(app);
new HomelabcmdStack(app);
new HttpDispatcherStack(app);
new ClawbernetesStack(app);
new ClawbernetesAirgappedStack(app);
app.synth();
